-- Only ever moves forward, so a relay that lost its lock mid-batch cannot drag the checkpoint back
-- behind the new holder. (Rewinding on purpose is a manual UPDATE; JetStream drops the re-publishes.)
-- $1 relay name, $2 transaction_id (xid8 as text), $3 global_position
INSERT INTO relay_checkpoints AS c (name, transaction_id, global_position)
VALUES ($1, $2::xid8, $3)
ON CONFLICT (name) DO UPDATE
  SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()
  WHERE (c.transaction_id, c.global_position) < (EXCLUDED.transaction_id, EXCLUDED.global_position)
