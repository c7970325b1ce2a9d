-- The transaction of the event at a global position: turns a global-position cursor into a
-- position in the (transaction_id, global_position) order.
-- $1 global_position
SELECT transaction_id::text AS transaction_id FROM events WHERE global_position = $1
