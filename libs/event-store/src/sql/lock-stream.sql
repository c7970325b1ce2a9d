-- Creates the stream row on first use and row-locks it until the transaction ends, so concurrent
-- appends to one stream queue here and each sees the position the previous one committed
-- (ON CONFLICT DO UPDATE re-reads the latest committed row under READ COMMITTED).
-- Also answers the transaction's time, cut to milliseconds: the appended events are recorded at it
-- (the keyed hash covers `recorded_at`, so the store chooses it rather than a column default).
-- $1 stream_id
INSERT INTO streams (stream_id, position, head_hash)
VALUES ($1, 0, '')
ON CONFLICT (stream_id) DO UPDATE SET stream_id = EXCLUDED.stream_id
RETURNING position, head_hash, date_trunc('milliseconds', now()) AS now
