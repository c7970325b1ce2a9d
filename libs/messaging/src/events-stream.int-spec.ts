import { eventsStreamName, eventsSubjectWildcard, type EventsStreamLimits } from '@hangar/contracts';
import { nanos, StorageType } from 'nats';
import { EventRelay } from './event-relay';
import { ensureEventsStream } from './events-stream';
import { createMessagingFixture, waitFor, type MessagingFixture } from './messaging-test.fixture';

jest.setTimeout(60_000);

const LIMITS: EventsStreamLimits = { maxAgeMs: 30 * 86_400_000, maxBytes: 64 * 2 ** 20 };

describe(ensureEventsStream.name, () => {
  let fx: MessagingFixture;
  const stream = () => eventsStreamName(fx.ns);

  beforeEach(async () => {
    fx = await createMessagingFixture();
  });
  afterEach(async () => {
    await fx?.dispose();
  });

  it('creates <NS>_EVENTS with the age and byte limits', async () => {
    const info = await ensureEventsStream(fx.jsm, fx.ns, { limits: LIMITS });
    expect(info.config).toMatchObject({ name: stream(), max_age: nanos(LIMITS.maxAgeMs), max_bytes: LIMITS.maxBytes });
    expect((await fx.jsm.streams.info(stream())).config).toMatchObject({ max_age: nanos(LIMITS.maxAgeMs), max_bytes: LIMITS.maxBytes });
  });

  it('brings an existing stream created without limits to them, keeping the operator’s other settings', async () => {
    await fx.jsm.streams.add({ name: stream(), subjects: [eventsSubjectWildcard(fx.ns)], storage: StorageType.File, description: 'kept by the operator' });
    expect((await fx.jsm.streams.info(stream())).config).toMatchObject({ max_age: 0, max_bytes: -1 });

    await ensureEventsStream(fx.jsm, fx.ns, { limits: LIMITS });
    const after = (await fx.jsm.streams.info(stream())).config;
    expect(after).toMatchObject({ max_age: nanos(LIMITS.maxAgeMs), max_bytes: LIMITS.maxBytes, description: 'kept by the operator' });

    const smaller = { maxAgeMs: 3_600_000, maxBytes: 2 ** 20 };
    await ensureEventsStream(fx.jsm, fx.ns, { limits: smaller });
    expect((await fx.jsm.streams.info(stream())).config).toMatchObject({ max_age: nanos(smaller.maxAgeMs), max_bytes: smaller.maxBytes });
  });

  it('leaves an existing stream as it is when given no limits', async () => {
    await ensureEventsStream(fx.jsm, fx.ns, { limits: LIMITS });
    await ensureEventsStream(fx.jsm, fx.ns);
    expect((await fx.jsm.streams.info(stream())).config).toMatchObject({ max_bytes: LIMITS.maxBytes });
  });

  it('names HANGAR_STREAM_MAX_BYTES when the server cannot reserve that much', async () => {
    await expect(ensureEventsStream(fx.jsm, fx.ns, { limits: { maxAgeMs: 0, maxBytes: 2 ** 50 } })).rejects.toThrow(/^HANGAR_STREAM_MAX_BYTES: NATS cannot reserve \d+ bytes/);
  });

  it('is applied by the relay that finds the stream (the limits reach it from the service config)', async () => {
    await fx.jsm.streams.add({ name: stream(), subjects: [eventsSubjectWildcard(fx.ns)], storage: StorageType.File });
    const relay = new EventRelay({ store: fx.es.store, pool: fx.es.pool, nc: fx.nc, ns: fx.ns, lockRetryMs: 100, eventsStream: LIMITS });
    relay.start();
    try {
      await waitFor('the relay to set the stream limits', async () => (await fx.jsm.streams.info(stream())).config.max_bytes === LIMITS.maxBytes);
      expect((await fx.jsm.streams.info(stream())).config.max_age).toBe(nanos(LIMITS.maxAgeMs));
    } finally {
      await relay.stop();
    }
  });
});
