-- `audit verify` walks every event stream by stream, in pages keyed on (stream_id, stream_position)
-- so each page is a range scan of the unique index.
-- $1 last stream_id seen ('' at the start), $2 last stream_position seen, $3 page size
SELECT stream_id, stream_position, global_position, event_id, type, data, metadata, recorded_at, hash
FROM events
WHERE (stream_id, stream_position) > ($1::text, $2::bigint)
ORDER BY stream_id, stream_position
LIMIT $3
