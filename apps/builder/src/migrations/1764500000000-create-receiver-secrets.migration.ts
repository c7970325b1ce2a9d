import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Builder's own table: each registry webhook receiver's secret (never in an event: the `receivers`
 * stream records only id and source). A removed receiver's row goes with it.
 */
export class CreateReceiverSecrets1764500000000 implements MigrationInterface {
  name = 'CreateReceiverSecrets1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registry_receiver_secrets (
        receiver_id text PRIMARY KEY,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE registry_receiver_secrets`);
  }
}
