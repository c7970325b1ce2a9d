-- $1 app, $2 wrapped key, $3 new key id, $4 key id it had when read (guards a concurrent rotation)
UPDATE secret_data_keys SET wrapped_key = $2, key_id = $3, rotated_at = now()
WHERE app = $1 AND key_id = $4
