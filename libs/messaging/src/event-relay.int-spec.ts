import { randomUUID } from 'node:crypto';
import { eventsStreamName, eventsSubjectWildcard } from '@hangar/contracts';
import type { NewEvent } from '@hangar/event-store';
import { DurableConsumer } from './durable-consumer';
import { EventRelay } from './event-relay';
import type { FeedEvent } from './feed-event';
import { createMessagingFixture, streamMessageCount, waitFor, type MessagingFixture } from './messaging-test.fixture';

jest.setTimeout(60_000);

describe(EventRelay.name, () => {
  let f: MessagingFixture;
  const started: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    f = await createMessagingFixture();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  afterAll(async () => {
    await f?.dispose();
  });

  const relay = (overrides: Partial<ConstructorParameters<typeof EventRelay>[0]> = {}) => {
    const r = new EventRelay({ store: f.es.store, pool: f.es.pool, nc: f.nc, ns: f.ns, batchSize: 5, pollIntervalMs: 50, lockRetryMs: 100, ...overrides });
    started.push(r);
    r.start();
    return r;
  };

  async function appendMany(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = randomUUID();
      ids.push(eventId);
      const event: NewEvent = { type: i % 2 ? 'ThingHappened' : 'OtherThing', data: { app: `app-${i % 3}`, i }, eventId };
      await f.es.store.append(`thing-${i % 4}`, [event], { expectedVersion: 'ANY' });
    }
    return ids;
  }

  it('neither skips nor duplicates across a relay restart and a rewound checkpoint', async () => {
    const seen: string[] = [];
    const payloads: FeedEvent[] = [];
    const consumer = new DurableConsumer({
      nc: f.nc,
      store: f.es.store,
      pool: f.es.pool,
      ns: f.ns,
      service: 'test',
      purpose: 'restart',
      filterSubject: eventsSubjectWildcard(f.ns),
      handler: async (event) => {
        seen.push(event.eventId);
        payloads.push(event);
        return { kind: 'ack' };
      },
    });
    await consumer.start();
    started.push(consumer);

    const first = await appendMany(40);
    const r1 = relay();
    await waitFor('part of the first batch to be published', async () => (await streamMessageCount(f)) >= 10);
    await r1.stop();
    const stoppedAt = await r1.checkpoint();
    expect(stoppedAt.globalPosition).toBeGreaterThan(0);

    // As if the relay had died after publishing but before saving its checkpoint: go back 7 events.
    const { rows } = await f.es.pool.query(
      `SELECT transaction_id::text AS t, global_position AS p FROM events ORDER BY transaction_id, global_position OFFSET 2 LIMIT 1`,
    );
    await f.es.pool.query(`UPDATE relay_checkpoints SET transaction_id = $1::xid8, global_position = $2`, [rows[0].t, rows[0].p]);

    relay();
    const second = await appendMany(15);
    const all = [...first, ...second];
    await waitFor('every event to reach the consumer', () => new Set(seen).size === all.length);
    await waitFor('the relay to checkpoint the last event', async () => (await r1.checkpoint()).globalPosition === 55);

    expect(await streamMessageCount(f)).toBe(all.length);
    expect([...seen].sort()).toEqual([...all].sort());
    expect(seen).toHaveLength(all.length);
    // The feed shape of DESIGN §7.3, in store order within a stream.
    const sample = payloads.find((p) => p.eventId === first[4])!;
    expect(sample).toEqual({
      eventId: first[4],
      globalPosition: 5,
      streamId: 'thing-0',
      streamPosition: 2,
      type: 'OtherThing',
      data: { app: 'app-1', i: 4 },
      metadata: {},
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('publishes on <ns>.events.<app>.<Type> with the event id as message id', async () => {
    relay();
    const eventId = randomUUID();
    await f.es.store.append(`subj-${eventId}`, [{ type: 'SubjectChecked', data: { app: 'my-app' }, eventId }], { expectedVersion: 'NO_STREAM' });
    await f.es.store.append(`subj2-${eventId}`, [{ type: 'NoApp', data: { app: 'Not Valid!' } }], { expectedVersion: 'NO_STREAM' });
    const stream = eventsStreamName(f.ns);
    await waitFor('the message to be stored', async () => {
      const msg = await f.jsm.streams.getMessage(stream, { last_by_subj: `${f.ns}.events._.NoApp` }).catch(() => undefined);
      return msg !== undefined;
    });
    const msg = await f.jsm.streams.getMessage(stream, { last_by_subj: `${f.ns}.events.my-app.SubjectChecked` });
    expect(msg.header.get('Nats-Msg-Id')).toBe(eventId);
    expect(msg.json<FeedEvent>().eventId).toBe(eventId);
  });

  it('lets one relay publish at a time and hands over when the holder dies', async () => {
    const a = relay({ name: 'lock-test' });
    const b = relay({ name: 'lock-test' });
    await waitFor('a leader', () => a.isLeader || b.isLeader);
    // Sampled over several lock-retry periods of the standby: never two leaders.
    for (let i = 0; i < 10; i++) {
      expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [leader, standby] = a.isLeader ? [a, b] : [b, a];

    // Cut the leader's lock session, as if its process had died.
    await f.es.pool.query(`SELECT pg_terminate_backend($1)`, [leader.lockPid]);
    await waitFor('the standby to take over', () => standby.isLeader);
    expect(leader.isLeader).toBe(false);

    const before = await streamMessageCount(f);
    await appendMany(3);
    await waitFor('the new leader to publish', async () => (await streamMessageCount(f)) === before + 3);
    await waitFor('the old leader to stand by', () => !leader.isLeader && standby.isLeader, 3000);
  });
});
