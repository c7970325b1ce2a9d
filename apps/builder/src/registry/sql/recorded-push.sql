-- The ImagePushed of stream $1 that a push repeats (push-recorder.service.ts): the same dedupe key $2,
-- or the same tag $3 and digest $4 (a registry's replicas each send their own delivery); $4 null when
-- the push names no digest. One branch per index (events_image_pushed_dedupe_idx, _content_idx), each
-- with the stream in its condition, so neither walks the stream.
SELECT event_id
FROM (
  SELECT event_id, stream_position FROM events
  WHERE stream_id = $1 AND type = 'ImagePushed' AND data->>'dedupeKey' = $2
  UNION ALL
  SELECT event_id, stream_position FROM events
  WHERE stream_id = $1 AND type = 'ImagePushed' AND data->>'tag' = $3 AND data->>'digest' = $4::text
) AS repeats
ORDER BY stream_position
LIMIT 1
