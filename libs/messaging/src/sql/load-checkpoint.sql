-- $1 relay name
SELECT transaction_id::text AS transaction_id, global_position
FROM relay_checkpoints
WHERE name = $1
