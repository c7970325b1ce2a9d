import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { createEventStore, type EventStoreHandle } from './create-event-store';
import { computeEventHash } from './event-hash';
import { eventStoreMigrations } from './event-store-migrations';
import type { ExpectedVersion, NewEvent } from './event-store.types';
import { ensureDatabase, runMigrations } from './run-migrations';
import { retryOnConflict, StreamVersionConflictError } from './stream-version-conflict.error';

const ev = (type: string, data: Record<string, unknown> = {}): NewEvent => ({ type, data });

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 12, migrations: eventStoreMigrations, notifyChannel: 'es_test' });
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  const sut = () => handle.store;

  it('lets exactly one of many concurrent appends with the same expected version win', async () => {
    const streamId = `race-${randomUUID()}`;
    for (const expected of [0, 1, 2] as const) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => sut().append(streamId, [ev('Raced', { i })], { expectedVersion: expected })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(StreamVersionConflictError);
        expect(r.reason).toMatchObject({ code: 'EVENTSTORE.STREAM_VERSION_CONFLICT', streamId, expected, actual: expected + 1 });
      }
    }
    const events = await sut().readStream(streamId);
    expect(events.map((e) => e.streamPosition)).toEqual([1, 2, 3]);
    expect(await sut().streamVersion(streamId)).toBe(3);
  });

  it('serialises concurrent ANY appends into consecutive positions', async () => {
    const streamId = `any-${randomUUID()}`;
    await Promise.all(Array.from({ length: 10 }, (_, i) => sut().append(streamId, [ev('A', { i }), ev('B', { i })], { expectedVersion: 'ANY' })));
    const events = await sut().readStream(streamId);
    expect(events.map((e) => e.streamPosition)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it.each<[string, ExpectedVersion, boolean, ExpectedVersion, boolean]>([
    ['NO_STREAM', 'NO_STREAM', true, 'NO_STREAM', false],
    ['STREAM_EXISTS', 'STREAM_EXISTS', false, 'STREAM_EXISTS', true],
    ['ANY', 'ANY', true, 'ANY', true],
    ['a number', 0, true, 0, false],
  ])('checks %s on a missing and on an existing stream', async (_label, onMissing, okMissing, onExisting, okExisting) => {
    const streamId = `ev-${randomUUID()}`;
    const first = sut().append(streamId, [ev('First')], { expectedVersion: onMissing });
    if (okMissing) await expect(first).resolves.toEqual(expect.objectContaining({ nextExpectedVersion: 1 }));
    else await expect(first).rejects.toMatchObject({ code: 'EVENTSTORE.STREAM_VERSION_CONFLICT', actual: 0 });
    if (!okMissing) await sut().append(streamId, [ev('First')], { expectedVersion: 'NO_STREAM' });
    const second = sut().append(streamId, [ev('Second')], { expectedVersion: onExisting });
    if (okExisting) await expect(second).resolves.toEqual(expect.objectContaining({ nextExpectedVersion: 2 }));
    else await expect(second).rejects.toBeInstanceOf(StreamVersionConflictError);
    expect(await sut().streamVersion(streamId)).toBe(okExisting ? 2 : 1);
  });

  it('chains each event hash (keyed, over every stored column that carries meaning) to the previous event of the same stream', async () => {
    const streamId = `hash-${randomUUID()}`;
    await sut().append(streamId, [ev('One', { app: 'a', n: 1 }), ev('Two', { n: 2 })], { expectedVersion: 'NO_STREAM' });
    await sut().append(streamId, [{ type: 'Three', data: { z: 1, a: [1, 2] }, metadata: { actor: 'me', correlationId: 'c' } }], { expectedVersion: 2 });
    const events = await sut().readStream(streamId);
    let prev = '';
    for (const e of events) {
      expect(e.hash).toBe(computeEventHash(TEST_AUDIT_KEY, prev, e));
      expect(e.recordedAt.getUTCMilliseconds() * 1000).toBe(Number((await handle.pool.query(`SELECT extract(microseconds FROM recorded_at)::bigint % 1000000 AS us FROM events WHERE event_id = $1`, [e.eventId])).rows[0].us));
      prev = e.hash;
    }
    expect(events).toHaveLength(3);
    const { rows } = await handle.pool.query(`SELECT head_hash FROM streams WHERE stream_id = $1`, [streamId]);
    expect(rows[0].head_hash).toBe(prev);
  });

  it('appends inside a caller transaction and rolls back with it', async () => {
    const streamId = `tx-${randomUUID()}`;
    await expect(
      sut().transaction(async (tx) => {
        await sut().append(streamId, [ev('Inside')], { expectedVersion: 'NO_STREAM', tx });
        expect(await sut().readStream(streamId, { tx })).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await sut().readStream(streamId)).toEqual([]);
    await sut().transaction((tx) => sut().append(streamId, [ev('Inside')], { expectedVersion: 'NO_STREAM', tx }));
    expect(await sut().streamVersion(streamId)).toBe(1);
  });

  it('reads a stream from a position and keeps ids, data and metadata', async () => {
    const streamId = `read-${randomUUID()}`;
    const eventId = randomUUID();
    await sut().append(streamId, [ev('A'), { type: 'B', data: { k: 'v' }, metadata: { actor: 'x' }, eventId }], { expectedVersion: 'NO_STREAM' });
    const tail = await sut().readStream(streamId, { from: 2 });
    expect(tail).toEqual([expect.objectContaining({ streamPosition: 2, eventId, type: 'B', data: { k: 'v' }, metadata: { actor: 'x' } })]);
    await expect(sut().append(`other-${randomUUID()}`, [{ type: 'C', data: {}, eventId }], { expectedVersion: 'ANY' })).rejects.toMatchObject({
      code: 'EVENTSTORE.DUPLICATE_EVENT_ID',
    });
  });

  it('retryOnConflict re-runs the decision until it appends', async () => {
    const streamId = `retry-${randomUUID()}`;
    let calls = 0;
    await Promise.all(
      Array.from({ length: 4 }, () =>
        retryOnConflict(async () => {
          calls++;
          const version = await sut().streamVersion(streamId);
          return sut().append(streamId, [ev('Counted', { seen: version })], { expectedVersion: version });
        }, { attempts: 10 }),
      ),
    );
    expect(await sut().streamVersion(streamId)).toBe(4);
    expect(calls).toBeGreaterThanOrEqual(4);
    await expect(retryOnConflict(() => sut().append(streamId, [ev('X')], { expectedVersion: 0 }), { attempts: 2 })).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
  });

  it('notifies listeners after a committed append, not after a rolled-back one', async () => {
    let wakeups = 0;
    const off = sut().onAppended(() => wakeups++);
    try {
      await waitFor(() => wakeups >= 1); // the initial call after LISTEN is established
      const before = wakeups;
      await sut().transaction(async (tx) => {
        await sut().append(`n-${randomUUID()}`, [ev('RolledBack')], { expectedVersion: 'ANY', tx });
        throw new Error('rollback');
      }).catch(() => undefined);
      await sut().append(`n-${randomUUID()}`, [ev('Committed')], { expectedVersion: 'ANY' });
      await waitFor(() => wakeups === before + 1);
    } finally {
      off();
    }
  });

  it('runs migrations once when several processes start at once', async () => {
    const ran = await Promise.all([1, 2, 3].map(() => runMigrations(db.url, eventStoreMigrations)));
    expect(ran.flat()).toEqual([]);
    const { rows } = await handle.pool.query(`SELECT name FROM migrations`);
    expect(rows.map((r) => r.name)).toEqual(eventStoreMigrations.map((m) => m.name));
  });

  it('ensureDatabase creates a missing database once, even when raced', async () => {
    const url = `${db.url}_ensured`;
    try {
      const created = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
      expect(created.filter(Boolean)).toHaveLength(1);
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.end();
      expect(await ensureDatabase(url)).toBe(false);
    } finally {
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${db.name}_ensured" WITH (FORCE)`);
      await admin.end();
    }
  });
});
