-- $1 receiver id
SELECT wrapped_key, key_id, ciphertext FROM receiver_secrets WHERE receiver_id = $1
