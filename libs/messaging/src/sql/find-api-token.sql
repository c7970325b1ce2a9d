-- A live token by the sha256 of its secret. $1 token_hash
SELECT name, scopes FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL
