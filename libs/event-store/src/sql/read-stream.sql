-- $1 stream_id, $2 first stream position to return (1-based)
SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_position, event_id,
       type, data, metadata, recorded_at, hash
FROM events
WHERE stream_id = $1 AND stream_position >= $2
ORDER BY stream_position
