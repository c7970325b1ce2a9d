import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The NATS identity an API token acts for (DESIGN §4 "Trust"): an outside publisher's nkey public key.
 * A command it sends is authorised with the token's scopes; no token crosses the bus.
 */
export class AddApiTokenNatsKey1764900001000 implements MigrationInterface {
  name = 'AddApiTokenNatsKey1764900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens ADD COLUMN nats_key text, ADD CONSTRAINT api_tokens_nats_key_key UNIQUE (nats_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP COLUMN nats_key`);
  }
}
