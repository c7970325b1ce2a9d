-- The PushEvaluated events of the given pushes (by the ImagePushed event ids in $1, text[]), newest
-- first: where a push was evaluated twice, the map built from these rows keeps the earlier evaluation.
SELECT data
FROM events
WHERE type = 'PushEvaluated' AND data->>'pushEventId' = ANY($1::text[])
ORDER BY global_position DESC
