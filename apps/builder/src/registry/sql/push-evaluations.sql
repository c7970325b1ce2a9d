-- The PushEvaluated events of the given pushes (by the ImagePushed event ids in $1, text[]).
SELECT data
FROM events
WHERE type = 'PushEvaluated' AND data->>'pushEventId' = ANY($1::text[])
