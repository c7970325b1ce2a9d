-- Audit query (GET /v1/audit): one page of the events matching every given filter, in the global
-- order (transaction_id, global_position), only below the snapshot xmin like read-all.sql, so a
-- page never ends before an event that commits later with a smaller position: paging on with the
-- last event as the cursor returns every match exactly once, even while events are appended.
-- A NULL filter is off; with the values bound at plan time the planner drops it and uses the
-- filter's index (migrations/1764300000000-add-audit-indexes.ts).
-- $1 cursor transaction_id (xid8 as text), $2 cursor global_position, $3 app, $4 types (text[]),
-- $5 actor, $6 release id, $7 machine id, $8 since (inclusive), $9 until (inclusive, to the
-- millisecond: times travel as milliseconds, so an event's own recordedAt as `until` includes it), $10 limit
SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_position, event_id,
       type, data, metadata, recorded_at, hash
FROM events
WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
  AND ($3::text IS NULL OR data->>'app' = $3::text)
  AND ($4::text[] IS NULL OR type = ANY($4::text[]))
  AND ($5::text IS NULL OR metadata->>'actor' = $5::text)
  AND ($6::text IS NULL OR data->>'releaseId' = $6::text)
  AND ($7::text IS NULL OR data->>'machineId' = $7::text OR stream_id = 'machine-' || $7::text)
  AND ($8::timestamptz IS NULL OR recorded_at >= $8::timestamptz)
  AND ($9::timestamptz IS NULL OR recorded_at < $9::timestamptz + interval '1 millisecond')
-- Qualified: a bare `transaction_id` here would name the text output column and sort as text.
ORDER BY events.transaction_id, events.global_position
LIMIT $10
