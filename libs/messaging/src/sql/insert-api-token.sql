-- $1 name, $2 sha256 hex of the secret, $3 scopes (text[]), $4 created_by, $5 the bound NATS nkey (or null)
INSERT INTO api_tokens (name, token_hash, scopes, created_by, nats_key)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
RETURNING name, scopes, created_by, created_at, revoked_at, nats_key
