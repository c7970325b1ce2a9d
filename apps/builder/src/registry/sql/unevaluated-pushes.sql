-- Pushes recorded between a day and $1 milliseconds ago that have no PushEvaluated yet: their feed
-- message was lost (or builder died while evaluating). Oldest first, at most $2.
SELECT p.event_id, p.stream_id, p.data, p.metadata
FROM events p
WHERE p.type = 'ImagePushed'
  AND p.recorded_at > now() - interval '1 day'
  AND p.recorded_at < now() - $1::int * interval '1 millisecond'
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.type = 'PushEvaluated' AND e.data->>'pushEventId' = p.event_id::text)
ORDER BY p.global_position
LIMIT $2
