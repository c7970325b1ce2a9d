-- $1 consumer, $2 reason kind (malformed, not-in-store, wrong-subject), $3 subject the message came on,
-- $4 the event id it claimed (null when it named none). One row per (consumer, kind): a flood of forged
-- messages costs a counter, never storage.
INSERT INTO feed_rejections AS r (consumer, kind, count, last_subject, last_event_id, last_at)
VALUES ($1, $2, 1, $3, $4, now())
ON CONFLICT (consumer, kind) DO UPDATE
SET count = r.count + 1, last_subject = EXCLUDED.last_subject, last_event_id = EXCLUDED.last_event_id, last_at = now()
