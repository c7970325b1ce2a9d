import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { createEventStore, type EventStoreHandle } from './create-event-store';
import { queryEvents, type EventQuery } from './event-query';
import { eventStoreMigrations } from './event-store-migrations';
import type { NewEvent, StoredEvent, Tx } from './event-store.types';
import { toStoredEvent, type EventRow } from './postgres-event-store';

const APPS = ['alpha', 'beta'];
const TYPES = ['ReleaseQueued', 'MachineUpdated', 'MachineUpdateStarted', 'TokenCreated'];
const ACTORS = ['admin', 'ci', 'system'];

/** A deterministic spread of events over apps, types, actors, releases and machines. */
function seedEvent(i: number): NewEvent {
  const type = TYPES[i % TYPES.length]!;
  const data: Record<string, unknown> = { n: i };
  if (type !== 'TokenCreated') data.app = APPS[i % 2];
  if (i % 3 === 0) data.releaseId = `rel-${i % 2}`;
  if (type === 'MachineUpdated') data.machineId = `m${i % 5}`;
  return { type, data, metadata: { actor: ACTORS[i % ACTORS.length] } };
}

function matches(e: StoredEvent, q: EventQuery): boolean {
  const d = e.data as Record<string, unknown>;
  return (
    (q.app === undefined || d.app === q.app) &&
    (q.types === undefined || q.types.includes(e.type)) &&
    (q.actor === undefined || e.metadata.actor === q.actor) &&
    (q.releaseId === undefined || d.releaseId === q.releaseId) &&
    (q.machineId === undefined || d.machineId === q.machineId || e.streamId === `machine-${q.machineId}`) &&
    (q.since === undefined || e.recordedAt >= q.since) &&
    (q.until === undefined || e.recordedAt <= q.until)
  );
}

describe('queryEvents', () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  const marks: Date[] = [];

  /** Every event, in the global order (transaction, position), read with plain SQL. */
  async function everything(): Promise<StoredEvent[]> {
    const { rows } = await handle.pool.query<EventRow>(
      `SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash
       FROM events ORDER BY events.transaction_id, events.global_position`,
    );
    return rows.map(toStoredEvent);
  }

  async function pages(q: EventQuery, limit: number): Promise<StoredEvent[][]> {
    const out: StoredEvent[][] = [];
    let after: number | undefined;
    for (;;) {
      const page = await queryEvents(handle.pool, { ...q, limit, ...(after ? { after } : {}) });
      out.push(page.events);
      if (page.next === null) return out;
      after = page.next;
    }
  }

  const now = async (): Promise<Date> => (await handle.pool.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t;

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations, poolSize: 8 });
    for (let batch = 0; batch < 3; batch++) {
      marks.push(await now());
      for (let i = batch * 40; i < (batch + 1) * 40; i++) {
        const e = seedEvent(i);
        const stream = e.type === 'MachineUpdateStarted' ? `machine-m${i % 5}` : `s-${i % 7}`;
        await handle.store.append(stream, [e], { expectedVersion: 'ANY' });
      }
    }
    marks.push(await now());
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it.each<[string, () => EventQuery]>([
    ['app', () => ({ app: 'alpha' })],
    ['one type', () => ({ types: ['MachineUpdated'] })],
    ['two types', () => ({ types: ['ReleaseQueued', 'TokenCreated'] })],
    ['actor', () => ({ actor: 'ci' })],
    ['release', () => ({ releaseId: 'rel-1' })],
    ['machine (data or stream)', () => ({ machineId: 'm2' })],
    ['since', () => ({ since: marks[1] })],
    ['until', () => ({ until: marks[1] })],
    ['since and until', () => ({ since: marks[1], until: marks[2] })],
    ['everything at once', () => ({ app: 'beta', types: ['MachineUpdated', 'ReleaseQueued'], actor: 'system', since: marks[0] })],
  ])('filters by %s: exactly the matching events, in order, across pages', async (_label, make) => {
    const q = make();
    const expected = (await everything()).filter((e) => matches(e, q)).map((e) => e.eventId);
    expect(expected.length).toBeGreaterThan(0);
    const got = (await pages(q, 7)).flat().map((e) => e.eventId);
    expect(got).toEqual(expected);
  });

  it('ends with next = null and pages of exactly `limit` before it', async () => {
    const all = await pages({ app: 'alpha' }, 9);
    for (const p of all.slice(0, -1)) expect(p).toHaveLength(9);
    expect(all.at(-1)!.length).toBeLessThan(9);
    const total = all.flat().length;
    expect(total).toBe((await everything()).filter((e) => (e.data as { app?: string }).app === 'alpha').length);
  });

  it('orders transaction ids as numbers, not as text (99 before 100), like readAll', async () => {
    const app = `xid-${randomUUID().slice(0, 8)}`;
    const insert = (xid: string, stream: string) =>
      handle.pool.query(
        `INSERT INTO events (transaction_id, stream_id, stream_position, event_id, type, data, hash) VALUES ($1::xid8, $2, 1, gen_random_uuid(), 'Old', $3, 'h')`,
        [xid, stream, { app, xid }],
      );
    await insert('100', `xid-a-${app}`);
    await insert('99', `xid-b-${app}`);
    const page = await queryEvents(handle.pool, { app });
    expect(page.events.map((e) => e.transactionId)).toEqual(['99', '100']);
    const all = await handle.store.readAll({ transactionId: '0', globalPosition: 0 }, 1000);
    expect(all.filter((e) => (e.data as { app?: string }).app === app).map((e) => e.transactionId)).toEqual(['99', '100']);
  });

  it('rejects a cursor that names no event and a limit above 1000', async () => {
    await expect(queryEvents(handle.pool, { after: 99_999_999 })).rejects.toMatchObject({ code: 'AUDIT.INVALID_CURSOR' });
    await expect(queryEvents(handle.pool, { limit: 1001 })).rejects.toMatchObject({ code: 'REQUEST.INVALID' });
  });

  it('pages without gaps or duplicates while writers append, some committing late', async () => {
    const app = `live-${randomUUID().slice(0, 8)}`;
    const written: string[] = [];
    let writing = true;
    const txOf = (c: Client): Tx => ({ query: async (sql, params) => (await c.query(sql, params)).rows });
    const ev = (n: number): NewEvent => ({ type: 'Live', data: { app, n }, metadata: { actor: 'w' }, eventId: randomUUID() });

    const plainWriter = async (w: number) => {
      for (let i = 0; i < 60; i++) {
        const e = ev(i);
        await handle.store.append(`live-${w}`, [e, { type: 'Noise', data: { app: 'other' } }], { expectedVersion: 'ANY' });
        written.push(e.eventId!);
      }
    };
    // Holds a transaction open across other commits, so its events get positions below ones already visible.
    const lateWriter = async () => {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        for (let i = 0; i < 15; i++) {
          await c.query('BEGIN');
          const e = ev(1000 + i);
          await handle.store.append(`late-${i}`, [e], { expectedVersion: 'NO_STREAM', tx: txOf(c) });
          await new Promise((r) => setTimeout(r, 15));
          await c.query('COMMIT');
          written.push(e.eventId!);
        }
      } finally {
        await c.end();
      }
    };

    const committed = async () => Number((await handle.pool.query(`SELECT count(*) AS n FROM events WHERE data->>'app' = $1`, [app])).rows[0].n);
    // Once the writers are done, reads until everything committed was returned (other transactions
    // anywhere in the cluster can hold the snapshot xmin back for a moment), with a deadline.
    const reader = async (): Promise<string[]> => {
      const seen: string[] = [];
      let after = 0;
      let deadline = Infinity;
      for (;;) {
        const done = !writing;
        const page = await queryEvents(handle.pool, { app, limit: 5, ...(after ? { after } : {}) });
        seen.push(...page.events.map((e) => e.eventId));
        if (page.events.length > 0) after = page.events.at(-1)!.globalPosition;
        if (page.next !== null) continue;
        if (done) {
          deadline = Math.min(deadline, Date.now() + 10_000);
          if (seen.length >= (await committed()) || Date.now() > deadline) return seen;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    const reading = reader();
    await Promise.all([plainWriter(1), plainWriter(2), lateWriter()]);
    writing = false;
    const seen = await reading;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(written.length);
    expect(new Set(seen)).toEqual(new Set(written));
    const final = (await everything()).filter((e) => (e.data as { app?: string }).app === app).map((e) => e.eventId);
    expect(seen).toEqual(final);
  });
});
