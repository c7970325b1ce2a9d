-- The global position of the first event with a keyed (`h2:`) hash, for `audit verify`: an unkeyed
-- hash on any later event is a downgrade (audit/chain-check.ts). NULL while no keyed event exists.
SELECT min(global_position) AS first FROM events WHERE hash LIKE 'h2:%'
