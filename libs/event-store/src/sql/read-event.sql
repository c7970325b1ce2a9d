-- $1 event_id: the one stored event with that id (none when no such event was ever committed)
SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_position, event_id,
       type, data, metadata, recorded_at, hash
FROM events
WHERE event_id = $1
