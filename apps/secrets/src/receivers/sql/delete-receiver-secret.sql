-- $1 receiver id
DELETE FROM receiver_secrets WHERE receiver_id = $1
