-- $1 app
SELECT wrapped_key, key_id FROM secret_data_keys WHERE app = $1
