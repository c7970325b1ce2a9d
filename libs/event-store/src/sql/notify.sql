-- Wakes the store's listeners (the relay) after a commit that appended. $1 notify channel
SELECT pg_notify($1, '')
