-- The app's first data key. A concurrent first writer wins; the loser reads the winner's key.
-- $1 app, $2 wrapped key, $3 id of the key-encryption key that wrapped it
INSERT INTO secret_data_keys (app, wrapped_key, key_id)
VALUES ($1, $2, $3)
ON CONFLICT (app) DO NOTHING
