-- The newest committed event's global position (0 for an empty store): one step down the primary key.
SELECT coalesce(max(global_position), 0)::text AS position
FROM events
