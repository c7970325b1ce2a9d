SELECT name, scopes, created_by, created_at, revoked_at, nats_key FROM api_tokens ORDER BY name
