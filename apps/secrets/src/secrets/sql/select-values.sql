-- The ciphertext rows of the given (name, version) pairs: $1 app, $2 names, $3 versions (same length)
SELECT v.name, v.version, v.ciphertext
FROM secret_values v
JOIN unnest($2::text[], $3::integer[]) AS r(name, version) ON v.name = r.name AND v.version = r.version
WHERE v.app = $1
