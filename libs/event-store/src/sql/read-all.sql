-- The global order is (transaction_id, global_position), read only below the oldest transaction
-- still running: identity values are handed out at insert time but become visible at commit, so a
-- plain "global_position > checkpoint" would skip an event whose transaction commits late.
-- Anchor: emmett emmett-postgresql/src/eventStore/schema/readMessagesBatch.ts
-- $1 checkpoint transaction_id (xid8 as text), $2 checkpoint global_position, $3 limit
SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_position, event_id,
       type, data, metadata, recorded_at, hash
FROM events
WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
-- Qualified: a bare `transaction_id` here would name the text output column and sort as text.
ORDER BY events.transaction_id, events.global_position
LIMIT $3
