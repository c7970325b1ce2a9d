-- $1 consumer (durable name), $2 event_id
SELECT 1 FROM processed_messages WHERE consumer = $1 AND event_id = $2
