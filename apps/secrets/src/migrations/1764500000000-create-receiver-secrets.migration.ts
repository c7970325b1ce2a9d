import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registry webhook receivers' secrets (issue 6), envelope-encrypted like app secrets: one data key per
 * receiver, wrapped by the key-encryption key, and the secret's ciphertext. Plaintext never lands here.
 */
export class CreateReceiverSecrets1764500000000 implements MigrationInterface {
  name = 'CreateReceiverSecrets1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE receiver_secrets (
        receiver_id text PRIMARY KEY,
        wrapped_key bytea NOT NULL,
        key_id text NOT NULL,
        ciphertext bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
    await q.query(`CREATE INDEX receiver_secrets_key_id_idx ON receiver_secrets (key_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE receiver_secrets`);
  }
}
