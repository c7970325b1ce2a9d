-- $1 consumer, $2 event_id (null when the payload could not be parsed), $3 subject, $4 stream sequence,
-- $5 delivery count, $6 reason, $7 raw payload
INSERT INTO poison_messages (consumer, event_id, subject, stream_sequence, delivery_count, reason, payload)
VALUES ($1, $2, $3, $4, $5, $6, $7)
