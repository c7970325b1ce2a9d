-- A receiver's secret: its data key wrapped by the current key-encryption key, and the ciphertext.
-- $1 receiver id, $2 wrapped data key, $3 key-encryption key id, $4 ciphertext
INSERT INTO receiver_secrets (receiver_id, wrapped_key, key_id, ciphertext)
VALUES ($1, $2, $3, $4)
ON CONFLICT (receiver_id) DO UPDATE SET wrapped_key = $2, key_id = $3, ciphertext = $4, rotated_at = NULL
