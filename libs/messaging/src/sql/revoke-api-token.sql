-- Revoking twice keeps the first revocation time. $1 name
UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE name = $1
RETURNING name, scopes, created_by, created_at, revoked_at, nats_key
