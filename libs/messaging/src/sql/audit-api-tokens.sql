-- Every api_tokens row beside what its token stream records, for `audit verify`
-- (auth/api-token-audit.ts): a row is legitimate only as the gateway writes it, in the same
-- transaction as a TokenCreated (and TokenRevoked) event. $1 the token stream prefix (`token-`)
SELECT t.name, t.scopes, t.nats_key, t.revoked_at IS NOT NULL AS revoked,
       (SELECT e.data FROM events e WHERE e.stream_id = $1 || t.name AND e.type = 'TokenCreated'
        ORDER BY e.stream_position LIMIT 1) AS created,
       EXISTS (SELECT 1 FROM events e WHERE e.stream_id = $1 || t.name AND e.type = 'TokenRevoked') AS revoked_in_stream
FROM api_tokens t
ORDER BY t.name
