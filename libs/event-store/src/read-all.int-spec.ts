import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { createEventStore, type EventStoreHandle } from './create-event-store';
import { eventStoreMigrations } from './event-store-migrations';
import { START_CHECKPOINT, type GlobalCheckpoint, type StoredEvent, type Tx } from './event-store.types';

/**
 * readAll must never skip an event whose transaction commits after a later one was read. Both orders
 * of (transaction id, global position) between the late and the early committer are built, so that a
 * reader filtering on global_position alone, or ordering by (transaction_id, global_position) without
 * the snapshot-xmin bound, loses event A in one of them.
 */
describe('PostgresEventStore.readAll', () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  let clientA: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations, poolSize: 4 });
  });

  beforeEach(async () => {
    clientA = new Client({ connectionString: db.url });
    await clientA.connect();
  });

  afterEach(async () => {
    await clientA.end();
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  const txOf = (client: Client): Tx => ({ query: async (sql, params) => (await client.query(sql, params)).rows });

  /** Reads from `from` until `wanted` ids were seen or the deadline passes; returns every event read, in order. */
  async function readUntil(from: GlobalCheckpoint, wanted: string[], timeoutMs = 8000): Promise<{ events: StoredEvent[]; checkpoint: GlobalCheckpoint }> {
    const deadline = Date.now() + timeoutMs;
    const events: StoredEvent[] = [];
    let checkpoint = from;
    while (!wanted.every((id) => events.some((e) => e.eventId === id)) && Date.now() < deadline) {
      const batch = await handle.store.readAll(checkpoint, 100);
      events.push(...batch);
      if (batch.length > 0) checkpoint = { transactionId: batch.at(-1)!.transactionId, globalPosition: batch.at(-1)!.globalPosition };
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return { events, checkpoint };
  }

  async function readEverything(): Promise<{ events: StoredEvent[]; checkpoint: GlobalCheckpoint }> {
    const { rows } = await handle.pool.query(`SELECT event_id FROM events`);
    return readUntil(START_CHECKPOINT, rows.map((r) => r.event_id as string));
  }

  it.each([
    ['A has the older transaction but the larger global position', 'xid-first'],
    ['A has the older transaction and the smaller global position', 'insert-first'],
  ])('returns a late-committing event when %s', async (_label, order) => {
    const start = (await readEverything()).checkpoint;
    const a = randomUUID();
    const b = randomUUID();
    await clientA.query('BEGIN');
    if (order === 'xid-first') await clientA.query('SELECT pg_current_xact_id()');
    else await handle.store.append(`a-${a}`, [{ type: 'Late', data: {}, eventId: a }], { expectedVersion: 'NO_STREAM', tx: txOf(clientA) });

    await handle.store.append(`b-${b}`, [{ type: 'Early', data: {}, eventId: b }], { expectedVersion: 'NO_STREAM' });
    if (order === 'xid-first') {
      await handle.store.append(`a-${a}`, [{ type: 'Late', data: {}, eventId: a }], { expectedVersion: 'NO_STREAM', tx: txOf(clientA) });
    }
    // B is committed, A is not: whatever is read now must not move the checkpoint past A's place.
    const beforeCommit = await readUntil(start, [b], 300);
    expect(beforeCommit.events.map((e) => e.eventId)).not.toContain(a);
    expect(beforeCommit.events.map((e) => e.eventId)).not.toContain(b);

    await clientA.query('COMMIT');
    const ids = await handle.pool.query(`SELECT event_id, global_position FROM events WHERE event_id IN ($1, $2)`, [a, b]);
    const position = (id: string) => Number(ids.rows.find((r) => r.event_id === id)?.global_position);
    const afterCommit = await readUntil(beforeCommit.checkpoint, [a, b]);
    const seen = [...beforeCommit.events, ...afterCommit.events].map((e) => e.eventId);
    expect(seen.filter((id) => id === a)).toHaveLength(1);
    expect(seen.filter((id) => id === b)).toHaveLength(1);
    // A's transaction started first, so the global order puts it first whatever its position.
    expect(seen.indexOf(a)).toBeLessThan(seen.indexOf(b));
    expect(position(a) > position(b)).toBe(order === 'xid-first');
  });

  it('pages in (transaction id, global position) order with a limit', async () => {
    const streamId = `page-${randomUUID()}`;
    await handle.store.append(streamId, Array.from({ length: 7 }, (_, i) => ({ type: 'Paged', data: { i } })), { expectedVersion: 'NO_STREAM' });
    const { events } = await readEverything();
    const mine = events.filter((e) => e.streamId === streamId);
    expect(mine.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const first = await handle.store.readAll(START_CHECKPOINT, 3);
    expect(first).toHaveLength(3);
    const next = await handle.store.readAll({ transactionId: first[2].transactionId, globalPosition: first[2].globalPosition }, 3);
    expect(next[0].globalPosition).toBeGreaterThan(first[2].globalPosition);
  });
});
