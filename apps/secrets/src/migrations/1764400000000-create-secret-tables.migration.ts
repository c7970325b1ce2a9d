import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The secrets service's own tables (DESIGN §2): per-app data keys, wrapped by the key-encryption
 * key, and one ciphertext row per (app, version it was set in, name). Plaintext never lands here.
 */
export class CreateSecretTables1764400000000 implements MigrationInterface {
  name = 'CreateSecretTables1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE secret_data_keys (
        app text PRIMARY KEY,
        wrapped_key bytea NOT NULL,
        key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
    await q.query(`CREATE INDEX secret_data_keys_key_id_idx ON secret_data_keys (key_id)`);
    await q.query(`
      CREATE TABLE secret_values (
        app text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        ciphertext bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app, version, name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE secret_values`);
    await q.query(`DROP TABLE secret_data_keys`);
  }
}
