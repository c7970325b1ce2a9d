-- The live token bound to an outside publisher's NATS nkey. $1 nkey public key
SELECT name, scopes FROM api_tokens WHERE nats_key = $1 AND revoked_at IS NULL
