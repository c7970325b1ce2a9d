-- Inserts the new events (positions and hashes computed by the caller from the locked stream row)
-- and moves the stream head. No NOTIFY here: a NOTIFY in the transaction takes Postgres's global
-- notify-queue lock at commit and serialises every concurrent commit; the store notifies after the
-- commit instead (postgres-event-store.ts, `nudge`).
-- $1 stream_id, $2 jsonb array of { stream_position, event_id, type, data, metadata, recorded_at, hash },
-- $3 new stream position, $4 new head hash
WITH inserted AS (
  INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
  SELECT $1, e.stream_position, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.hash
  FROM jsonb_to_recordset($2::jsonb)
    AS e(stream_position bigint, event_id uuid, type text, data jsonb, metadata jsonb, recorded_at timestamptz, hash text)
  ORDER BY e.stream_position
  RETURNING global_position
), moved AS (
  UPDATE streams SET position = $3, head_hash = $4 WHERE stream_id = $1
)
SELECT (SELECT max(global_position) FROM inserted) AS last_global_position
