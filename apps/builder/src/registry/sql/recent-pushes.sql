-- `list-pushes` (triggers log --all): the newest ImagePushed events of every registry-<host>/<repo>
-- stream, newest first. $1 limit.
SELECT event_id, stream_id, data, metadata, recorded_at
FROM events
WHERE type = 'ImagePushed' AND stream_id LIKE 'registry-%'
ORDER BY global_position DESC
LIMIT $1
