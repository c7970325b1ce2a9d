-- $1 stream id prefix (LIKE metacharacters escaped by the caller)
SELECT stream_id FROM streams WHERE stream_id LIKE $1 || '%' ESCAPE '\' AND position > 0 ORDER BY stream_id
