-- $1 stream_id
SELECT position FROM streams WHERE stream_id = $1
