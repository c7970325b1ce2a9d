import type { INestApplication } from '@nestjs/common';
import { Client, type Pool } from 'pg';
import { createEventStore, type EventStoreHandle } from '@hangar/event-store';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_AUDIT_KEY, TEST_NATS_ENV, type TestDatabase } from '@hangar/testing';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';
import { VERIFICATION_APPLICATION_NAME, VERIFICATION_POOL } from './audit.providers';

jest.setTimeout(120_000);

/** Polls `condition` every 25 ms until it holds; fails naming `what` after 15 s. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('GET /v1/audit/verify, one at a time on its own connection', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  let events: EventStoreHandle;
  let blocker: Client;
  const ns = testNamespace('av');
  const adminToken = `admin-${ns}-0123456789`;
  const auth = { Authorization: `Bearer ${adminToken}` };

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: { ...auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, any> };
  };
  /** Backends of the verification pool in this test's database, and whether they wait on a lock. */
  const verifierBackends = async () =>
    (await events.pool.query<{ waiting: boolean }>(`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [db.name, VERIFICATION_APPLICATION_NAME])).rows;

  beforeAll(async () => {
    db = await createTestDatabase('hangar_verify');
    await prepareHangarDatabase(db.url);
    ({ app, url } = await startGateway(
      gatewayConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: ns, HANGAR_HTTP_PORT: '0', HANGAR_ADMIN_TOKEN: adminToken }),
    ));
    events = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 2 });
    for (const id of ['01A', '01B']) {
      await events.store.append(`release-${id}`, [{ type: 'ReleaseQueued', data: { releaseId: id, app: 'web' } }], { expectedVersion: 'NO_STREAM' });
    }
    blocker = new Client({ connectionString: db.url });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker?.end();
    await events?.close();
    await app?.close();
    await db?.drop();
  });

  it('shares one running verification among concurrent callers, refuses another with 429, and leaves the request pool alone', async () => {
    expect((await api('POST', '/v1/audit/checkpoints')).status).toBe(201);
    const exported = (await api('GET', '/v1/audit/checkpoints/latest')).body;
    const connects = jest.spyOn(app.get<Pool>(VERIFICATION_POOL), 'connect');

    // The verification reads `streams` after taking its snapshot: hold it there.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE streams IN ACCESS EXCLUSIVE MODE');
    let verifications: Promise<Awaited<ReturnType<typeof api>>[]>;
    try {
      verifications = Promise.all([api('GET', '/v1/audit/verify'), api('GET', '/v1/audit/verify'), api('GET', '/v1/audit/verify')]);
      await until('the verification to wait on the lock', async () => (await verifierBackends()).some((b) => b.waiting));

      const refused = await api('POST', '/v1/audit/verify', { against: exported });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('AUDIT.VERIFICATION_RUNNING');
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      // Other audit requests are still answered from the request pool meanwhile.
      expect((await api('GET', '/v1/audit?limit=1')).status).toBe(200);
      expect(await verifierBackends()).toHaveLength(1);
    } finally {
      await blocker.query('COMMIT');
    }
    const answers = await verifications;
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[0]!.body).toMatchObject({ ok: true, problems: [] });
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(answers[2]!.body).toEqual(answers[0]!.body);
    expect(connects).toHaveBeenCalledTimes(1);

    // Nothing is cached: the next one verifies again, and the one refused above now runs.
    expect((await api('POST', '/v1/audit/verify', { against: exported })).body).toMatchObject({ ok: true, against: { sequence: 1 } });
    expect(connects).toHaveBeenCalledTimes(2);
    connects.mockRestore();
  });
});
