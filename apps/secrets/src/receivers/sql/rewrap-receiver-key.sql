-- $1 receiver id, $2 wrapped key, $3 new key id, $4 key id it had when read (guards a concurrent rotation)
UPDATE receiver_secrets SET wrapped_key = $2, key_id = $3, rotated_at = now()
WHERE receiver_id = $1 AND key_id = $4
