-- One encrypted value: $1 app, $2 version it is set in, $3 name, $4 ciphertext (01 | iv | ct | tag)
INSERT INTO secret_values (app, version, name, ciphertext) VALUES ($1, $2, $3, $4)
