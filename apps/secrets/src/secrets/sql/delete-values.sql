-- Pruned values no kept version refers to: $1 app, $2 names, $3 versions (same length)
DELETE FROM secret_values v
USING unnest($2::text[], $3::integer[]) AS r(name, version)
WHERE v.app = $1 AND v.name = r.name AND v.version = r.version
