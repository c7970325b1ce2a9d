-- $1 relay name (`<NS>_EVENTS`): the global position of the last event the relay published; no row
-- before its first batch.
SELECT global_position::text AS position
FROM relay_checkpoints
WHERE name = $1
