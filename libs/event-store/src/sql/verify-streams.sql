-- Every stream's registered head, for `audit verify` (audit/store-verifier.ts).
SELECT stream_id, position, head_hash FROM streams WHERE position > 0
