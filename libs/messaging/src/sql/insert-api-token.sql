-- $1 name, $2 sha256 hex of the secret, $3 scopes (text[]), $4 created_by
INSERT INTO api_tokens (name, token_hash, scopes, created_by)
VALUES ($1, $2, $3, $4)
ON CONFLICT (name) DO NOTHING
RETURNING name, scopes, created_by, created_at, revoked_at
