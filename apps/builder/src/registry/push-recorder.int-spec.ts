import { streams, type NormalizedPush } from '@hangar/contracts';
import { createEventStore, runMigrations, sqlFilesIn, type EventStoreHandle } from '@hangar/event-store';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, TEST_AUDIT_KEY, type TestDatabase } from '@hangar/testing';
import { builderMigrations } from '../builder-migrations';
import { PushRecorder } from './push-recorder.service';

jest.setTimeout(60_000);

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const STREAM = streams.registry('ghcr.io/acme/web');

describe(PushRecorder.name, () => {
  let db: TestDatabase;
  let es: EventStoreHandle;
  let sut: PushRecorder;
  let at = Date.parse('2026-11-26T10:00:00.000Z');
  const push = (over: Partial<NormalizedPush> = {}): NormalizedPush => ({
    host: 'ghcr.io',
    repository: 'acme/web',
    tag: '1.0.0',
    digest: D1,
    pushedAt: new Date((at += 1000)).toISOString(),
    source: 'ghcr',
    ...over,
  });
  const record = (p: NormalizedPush) => sut.record(p, { actor: 'tester' });

  beforeAll(async () => {
    db = await createTestDatabase('hangar_pushrec');
    await prepareHangarDatabase(db.url);
    await runMigrations(db.url, builderMigrations);
    es = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 4 });
    sut = new PushRecorder(es.store, es.pool);
  });

  afterAll(async () => {
    await es?.close();
    await db?.drop();
  });

  afterEach(() => jest.restoreAllMocks());

  it('records a push once: the same delivery id, or the same tag and digest from another delivery, is a duplicate', async () => {
    const first = await record(push({ deliveryId: 'd-1' }));
    expect(first.status).toBe('recorded');
    expect(await record(push({ deliveryId: 'd-1', digest: D2 }))).toMatchObject({ status: 'duplicate', pushEventId: first.pushEventId });
    expect(await record(push({ deliveryId: 'd-2' }))).toMatchObject({ status: 'duplicate', pushEventId: first.pushEventId });
    expect((await record(push({ deliveryId: 'd-3', digest: D2 }))).status).toBe('recorded');
    expect((await record(push({ tag: '1.0.1' }))).status).toBe('recorded');

    const { digest: _none, ...undigested } = push({ tag: 'latest' });
    const noDigest = await record(undigested);
    expect(noDigest.status).toBe('recorded');
    expect(await record(undigested)).toMatchObject({ status: 'duplicate', pushEventId: noDigest.pushEventId });
    expect((await record({ ...undigested, pushedAt: new Date((at += 1000)).toISOString() })).status).toBe('recorded');
  });

  it('records one of two concurrent deliveries of the same push, the other finding it', async () => {
    const same = push({ tag: '2.0.0' });
    const answers = await Promise.all([record({ ...same, deliveryId: 'c-1' }), record({ ...same, deliveryId: 'c-2' })]);
    expect(answers.map((a) => a.status).sort()).toEqual(['duplicate', 'recorded']);
    expect(answers[0]!.pushEventId).toBe(answers[1]!.pushEventId);
  });

  it('never reads the repository’s stream: the repeat is found through the push indexes', async () => {
    for (let i = 0; i < 50; i++) await record(push({ tag: `3.0.${i}`, deliveryId: `h-${i}` }));
    const readStream = jest.spyOn(es.store, 'readStream');
    expect((await record(push({ tag: '3.0.7', deliveryId: 'h-7' }))).status).toBe('duplicate');
    expect((await record(push({ tag: '3.0.8', deliveryId: 'other' }))).status).toBe('duplicate');
    expect((await record(push({ tag: '3.0.99' }))).status).toBe('recorded');
    expect(readStream).not.toHaveBeenCalled();

    const client = await es.pool.connect();
    try {
      await client.query('BEGIN');
      // A tiny table is cheaper to scan: forbid that, to see which indexes the query can use.
      await client.query('SET LOCAL enable_seqscan = off');
      const sql = sqlFilesIn(__dirname)('recorded-push');
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, [STREAM, 'delivery:ghcr:h-7', '3.0.7', D1]);
      const plan = JSON.stringify(rows[0]!['QUERY PLAN']);
      expect(plan).toMatch(/"Index Name":"events_image_pushed_dedupe_idx"[^}]*"Index Cond":"[^"]*stream_id[^"]*dedupeKey/);
      expect(plan).toMatch(/"Index Name":"events_image_pushed_content_idx"[^}]*"Index Cond":"[^"]*stream_id[^"]*tag[^"]*digest/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
