-- How many releases are in each status, by the type of the last status-setting event of each release
-- stream (the same events the releaser's release summary reads; `ReleaseRolledBack` follows the
-- `ReleaseFailed` it qualifies). The type filter walks events_audit_type_idx; only release streams
-- hold these types, the stream prefix only guards against a stray one elsewhere.
SELECT latest.type, count(*)::int AS releases
FROM (
  SELECT DISTINCT ON (stream_id) type
  FROM events
  WHERE type IN ('ReleaseQueued', 'ReleaseStarted', 'ReleaseCompleted', 'ReleaseFailed', 'ReleaseCancelled', 'ReleaseRolledBack')
    AND stream_id LIKE 'release-%'
  ORDER BY stream_id, stream_position DESC
) AS latest
GROUP BY latest.type
