import { createEventStore, eventStoreMigrations, verifyEventStore, type EventStoreHandle } from '@hangar/event-store';
import { createTestDatabase, TEST_AUDIT_KEY, type TestDatabase } from '@hangar/testing';
import { messagingMigrations } from '../messaging-migrations';
import { checkApiTokens } from './api-token-audit';
import { ApiTokenStore, hashToken } from './api-token.store';

/** H2: an `api_tokens` row the token streams do not account for is reported by `audit verify`. */
describe(checkApiTokens.name, () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  const verify = () => verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, crossChecks: [checkApiTokens] });

  /** Creates a token as the gateway does: the row and `TokenCreated` in one transaction. */
  async function createToken(name: string, scopes: string[]): Promise<void> {
    await handle.store.transaction(async (tx) => {
      await new ApiTokenStore(handle.pool).create({ name, scopes, createdBy: 'admin' }, { query: async (text, params) => ({ rows: await tx.query(text, params) }) });
      await handle.store.append(`token-${name}`, [{ type: 'TokenCreated', data: { name, scopes }, metadata: { actor: 'admin' } }], { expectedVersion: 'NO_STREAM', tx });
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: [...eventStoreMigrations, ...messagingMigrations], poolSize: 3 });
    await createToken('ci', ['app:demo:deploy']);
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('accepts tokens created with their event', async () => {
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('detects a token row inserted by SQL', async () => {
    await handle.pool.query(`INSERT INTO api_tokens (name, token_hash, scopes, created_by) VALUES ('backdoor', $1, '{admin}', 'admin')`, [hashToken('hgr_backdoor')]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ streamId: 'token-backdoor', kind: 'unrecorded-token', message: expect.stringContaining('no TokenCreated') })]);
  });

  it('detects a recorded token widened by SQL', async () => {
    await handle.pool.query(`UPDATE api_tokens SET scopes = '{admin}' WHERE name = 'ci'`);
    const found = (await verify()).problems.filter((p) => p.streamId === 'token-ci');
    expect(found).toEqual([expect.objectContaining({ kind: 'unrecorded-token', message: expect.stringContaining('differ') })]);
  });
});
