-- Returns a row only for the first caller: a concurrent duplicate waits on the primary key until the
-- first transaction ends, then gets nothing back and must not apply its effect.
-- $1 consumer (durable name), $2 event_id
INSERT INTO processed_messages (consumer, event_id)
VALUES ($1, $2)
ON CONFLICT (consumer, event_id) DO NOTHING
RETURNING 1 AS inserted
