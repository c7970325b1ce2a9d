-- The hash each stream's event has now at the given position (one row per position still stored),
-- for the next audit checkpoint (audit/audit-checkpoint.ts): a head only moves forward along the
-- chain that passes through the committed one. $1 text[] stream ids, $2 bigint[] positions (same length)
SELECT e.stream_id, e.hash
FROM unnest($1::text[], $2::bigint[]) AS c(stream_id, position)
JOIN events e ON e.stream_id = c.stream_id AND e.stream_position = c.position
