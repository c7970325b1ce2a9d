import { randomUUID } from 'node:crypto';
import { durableName, eventsStreamName } from '@hangar/contracts';
import type { ConsumerContext, HandlerOutcome } from './consumer.types';
import { DurableConsumer } from './durable-consumer';
import { EventRelay } from './event-relay';
import type { FeedEvent } from './feed-event';
import { createMessagingFixture, waitFor, type MessagingFixture } from './messaging-test.fixture';

jest.setTimeout(60_000);

describe(DurableConsumer.name, () => {
  let f: MessagingFixture;
  let relay: EventRelay;
  const consumers: DurableConsumer[] = [];

  beforeAll(async () => {
    f = await createMessagingFixture();
    relay = new EventRelay({ store: f.es.store, pool: f.es.pool, nc: f.nc, ns: f.ns, pollIntervalMs: 50 });
    relay.start();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await relay?.stop();
    await f?.dispose();
  });

  /** A consumer of one app's events only, so tests in this file do not see each other's events. */
  async function consume(app: string, handler: (event: FeedEvent, ctx: ConsumerContext) => Promise<HandlerOutcome>, extra: { maxDeliver?: number; ackWaitMs?: number } = {}) {
    const sut = new DurableConsumer({
      nc: f.nc,
      store: f.es.store,
      pool: f.es.pool,
      ns: f.ns,
      service: 'test',
      purpose: app,
      filterSubject: `${f.ns}.events.${app}.>`,
      handler,
      ...extra,
    });
    await sut.start();
    consumers.push(sut);
    return sut;
  }

  async function emit(app: string, type = 'WorkRequested'): Promise<string> {
    const eventId = randomUUID();
    await f.es.store.append(`work-${eventId}`, [{ type, data: { app }, eventId }], { expectedVersion: 'NO_STREAM' });
    return eventId;
  }

  const poisonRows = async (app: string) =>
    (await f.es.pool.query(`SELECT event_id, reason, payload, delivery_count FROM poison_messages WHERE consumer = $1`, [durableName(f.ns, 'test', app)])).rows;

  async function consumerInfo(app: string) {
    return f.jsm.consumers.info(eventsStreamName(f.ns), durableName(f.ns, 'test', app));
  }

  it('applies the effect once when the consumer dies between commit and ack', async () => {
    const app = 'crash-after-commit';
    const deliveries: number[] = [];
    await consume(app, async (event, ctx) => {
      deliveries.push(ctx.deliveryCount);
      await ctx.commit(async (tx) => {
        await f.es.store.append(`effect-${event.eventId}`, [{ type: 'WorkDone', data: { app: 'elsewhere' } }], { expectedVersion: 'NO_STREAM', tx });
      });
      if (ctx.deliveryCount === 1) throw new Error('simulated crash before ack');
      return { kind: 'ack' };
    });
    const eventId = await emit(app);
    await waitFor('the redelivery to be acked', async () => {
      const info = await consumerInfo(app);
      return info.delivered.consumer_seq >= 2 && info.num_ack_pending === 0 && info.num_pending === 0;
    });

    expect(await f.es.store.readStream(`effect-${eventId}`)).toHaveLength(1);
    expect((await consumerInfo(app)).delivered.consumer_seq).toBe(2);
    // The second delivery was recognised as processed and never reached the handler again.
    expect(deliveries).toEqual([1]);
  });

  it('retries a handler that failed before committing, and applies the effect once', async () => {
    const app = 'fail-then-succeed';
    const deliveries: number[] = [];
    await consume(app, async (event, ctx) => {
      deliveries.push(ctx.deliveryCount);
      if (ctx.deliveryCount === 1) throw new Error('transient');
      await ctx.commit((tx) => f.es.store.append(`effect-${event.eventId}`, [{ type: 'WorkDone', data: {} }], { expectedVersion: 'NO_STREAM', tx }).then(() => undefined));
      return { kind: 'ack' };
    });
    const eventId = await emit(app);
    await waitFor('the effect', async () => (await f.es.store.streamVersion(`effect-${eventId}`)) === 1);
    await waitFor('the ack', async () => (await consumerInfo(app)).num_ack_pending === 0);
    expect(deliveries).toEqual([1, 2]);
    const processed = await f.es.pool.query(`SELECT 1 FROM processed_messages WHERE event_id = $1`, [eventId]);
    expect(processed.rowCount).toBe(1);
  });

  it('redelivers after retry-after, and records an ack without commit as processed', async () => {
    const app = 'retry-after';
    const calls: Array<{ delivery: number; at: number }> = [];
    await consume(app, async (_event, ctx) => {
      calls.push({ delivery: ctx.deliveryCount, at: Date.now() });
      return ctx.deliveryCount === 1 ? { kind: 'retry', afterMs: 300 } : { kind: 'ack' };
    });
    const eventId = await emit(app);
    await waitFor('the processed row', async () => (await f.es.pool.query(`SELECT 1 FROM processed_messages WHERE event_id = $1`, [eventId])).rowCount === 1);
    expect(calls.map((c) => c.delivery)).toEqual([1, 2]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(250);
  });

  it('records a rejected message as poison and does not redeliver it', async () => {
    const app = 'rejected';
    let calls = 0;
    await consume(app, async () => {
      calls++;
      return { kind: 'reject', reason: 'not for us' };
    });
    const eventId = await emit(app);
    await waitFor('the poison row', async () => (await poisonRows(app)).length === 1);
    await waitFor('the term', async () => (await consumerInfo(app)).num_ack_pending === 0);
    expect(await poisonRows(app)).toEqual([expect.objectContaining({ event_id: eventId, reason: 'not for us', delivery_count: 1 })]);
    expect(calls).toBe(1);
  });

  it('gives up after maxDeliver failures instead of looping', async () => {
    const app = 'always-fails';
    let calls = 0;
    await consume(
      app,
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      { maxDeliver: 3 },
    );
    const eventId = await emit(app);
    await waitFor('the poison row', async () => (await poisonRows(app)).length === 1);
    const [row] = await poisonRows(app);
    expect(row).toMatchObject({ event_id: eventId, delivery_count: 3 });
    expect(row.reason).toContain('boom 3');
    expect(calls).toBe(3);
  });

  const rejections = async (app: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await f.es.pool.query(`SELECT kind, count FROM feed_rejections WHERE consumer = $1`, [durableName(f.ns, 'test', app)])).rows.map((r) => [r.kind, Number(r.count)]),
    );

  it('refuses and counts messages that name no stored event, and stores none of them', async () => {
    const app = 'forged';
    let calls = 0;
    await consume(app, async () => {
      calls++;
      return { kind: 'ack' };
    });
    const js = f.nc.jetstream();
    const encode = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
    await js.publish(`${f.ns}.events.${app}.Garbage`, encode('{not json'));
    await js.publish(`${f.ns}.events.${app}.Incomplete`, encode({ eventId: 'x' }));
    const forged = { eventId: randomUUID(), globalPosition: 1, streamId: 'release-X', streamPosition: 1, type: 'MachineUpdateRequested', data: { app }, metadata: { actor: 'system' }, recordedAt: new Date().toISOString() };
    await js.publish(`${f.ns}.events.${app}.MachineUpdateRequested`, encode(forged));
    // A real event of another app, announced on this app's subject.
    const elsewhere = await emit('not-consumed-here');
    await js.publish(`${f.ns}.events.${app}.WorkRequested`, encode({ ...forged, eventId: elsewhere, type: 'WorkRequested' }));

    await waitFor('four refusals', async () => Object.values(await rejections(app)).reduce((a, b) => a + b, 0) === 4);
    expect(await rejections(app)).toEqual({ malformed: 2, 'not-in-store': 1, 'wrong-subject': 1 });
    await waitFor('every message terminated', async () => (await consumerInfo(app)).num_ack_pending === 0);
    expect(calls).toBe(0);
    expect(await poisonRows(app)).toEqual([]);
    expect((await f.es.pool.query(`SELECT 1 FROM processed_messages WHERE event_id = $1`, [elsewhere])).rowCount).toBe(0);
  });

  it('hands the handler the stored event, never the body of the message that announced it', async () => {
    const app = 'stored-body';
    const seen: FeedEvent[] = [];
    await consume(app, async (event) => {
      seen.push(event);
      return { kind: 'ack' };
    });
    // With the relay stopped, only the forged announcement of a real event reaches the consumer.
    await relay.stop();
    try {
      const eventId = randomUUID();
      await f.es.store.append(`work-${eventId}`, [{ type: 'WorkRequested', data: { app, image: 'registry.example/app:v1' }, eventId }], { expectedVersion: 'NO_STREAM' });
      const forged = { eventId, globalPosition: 1, streamId: 'release-X', streamPosition: 1, type: 'WorkRequested', data: { app, image: 'attacker.example/exfil' }, metadata: { actor: 'admin' }, recordedAt: new Date().toISOString() };
      await f.nc.jetstream().publish(`${f.ns}.events.${app}.WorkRequested`, new TextEncoder().encode(JSON.stringify(forged)));
      await waitFor('the handler call', async () => seen.length === 1);
      expect(seen[0]).toMatchObject({ eventId, streamId: `work-${eventId}`, streamPosition: 1, data: { app, image: 'registry.example/app:v1' }, metadata: {} });
    } finally {
      relay = new EventRelay({ store: f.es.store, pool: f.es.pool, nc: f.nc, ns: f.ns, pollIntervalMs: 50 });
      relay.start();
    }
  });

  it('keeps a long handler alive past the ack wait', async () => {
    const app = 'slow-handler';
    let calls = 0;
    await consume(
      app,
      async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 2500));
        return { kind: 'ack' };
      },
      { ackWaitMs: 1000 },
    );
    await emit(app);
    await waitFor('the ack', async () => {
      const info = await consumerInfo(app);
      return info.delivered.consumer_seq === 1 && info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect(calls).toBe(1);
  });
});
