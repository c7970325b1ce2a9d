-- Data keys not yet wrapped by the current key-encryption key, locked for re-wrapping.
-- $1 id of the current key-encryption key
SELECT app, wrapped_key, key_id FROM secret_data_keys WHERE key_id <> $1 ORDER BY app FOR UPDATE
