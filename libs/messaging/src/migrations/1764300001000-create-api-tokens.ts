import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens (DESIGN §7.2 "Access"): only a sha256 of each secret is kept. Every service reads it to
 * check NATS commands; gateway writes it (`hangar tokens`), next to `TokenCreated`/`TokenRevoked`
 * events in the same transaction. Revoked rows stay, so a name is never reused by another holder.
 */
export class CreateApiTokens1764300001000 implements MigrationInterface {
  name = 'CreateApiTokens1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_tokens (
        name text PRIMARY KEY,
        token_hash text NOT NULL,
        scopes text[] NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_tokens`);
  }
}
