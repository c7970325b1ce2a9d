-- Receiver data keys not yet wrapped by the current key-encryption key, locked for re-wrapping.
-- $1 id of the current key-encryption key
SELECT receiver_id, wrapped_key, key_id FROM receiver_secrets WHERE key_id <> $1 ORDER BY receiver_id FOR UPDATE
