import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { distributionDialect as sut } from './distribution.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2025-03-04T05:06:07.123Z');
const DIGEST = fixtureDigest('app');
const fixtures = registryWebhook('distribution');
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const push = (overrides: object = {}) => fixtures.push({ host: 'registry.example.com:5000', repository: 'team/app', tag: '1.4.0', digest: DIGEST, pushedAt: AT, id: 'evt-1', ...overrides });

/** The fixture's envelope, to edit events the way a registry might send them. */
function envelope(fixture: WebhookFixture): { events: Record<string, any>[] } {
  return JSON.parse(fixture.body) as { events: Record<string, any>[] };
}
const withEvents = (fixture: WebhookFixture, events: unknown[]): WebhookFixture => ({ ...fixture, body: JSON.stringify({ events }, null, 3) });

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('distribution dialect', () => {
  it('maps a tagged manifest push field by field', () => {
    expect(parse(push())).toEqual({
      pushes: [{ host: 'registry.example.com:5000', repository: 'team/app', tag: '1.4.0', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.123Z', source: 'distribution', deliveryId: 'evt-1' }],
      ignored: [],
      invalid: [],
    });
  });

  it('sends registry:2 envelopes as v1 media type, indented with 3 spaces (fixture fidelity)', () => {
    const fixture = push();
    expect(fixture.headers['content-type']).toBe('application/vnd.docker.distribution.events.v1+json');
    expect(fixture.body.startsWith('{\n   "events": [\n      {')).toBe(true);
  });

  it('reads registry:3 deliveries, one event per envelope', () => {
    const deliveries = registryWebhook('distribution', { distributionEnvelope: 'v2' }).multiArch({ repository: 'team/app', tag: '2.0.0', pushedAt: AT });
    expect(deliveries.length).toBe(4);
    expect(deliveries.every((d) => d.headers['content-type'] === 'application/vnd.docker.distribution.events.v2+json')).toBe(true);
    const results = deliveries.map(parse);
    expect(results.map((r) => r.pushes.length + r.ignored.length)).toEqual([1, 1, 1, 1]);
    expect(results.flatMap((r) => r.pushes).map((p) => p.tag)).toEqual(['2.0.0']);
  });

  it('reads the time with its offset and nanoseconds', () => {
    const event = envelope(push()).events[0]!;
    event['timestamp'] = '2016-03-09T14:44:26.402973972-08:00';
    expect(parse(withEvents(push(), [event])).pushes[0]!.pushedAt).toBe('2016-03-09T22:44:26.402Z');
  });

  it('falls back to the host of target.url, and to the receipt time', () => {
    const event = envelope(push()).events[0]!;
    delete event['request'];
    delete event['timestamp'];
    event['target'].url = 'http://127.0.0.1:5000/v2/team/app/manifests/' + DIGEST;
    expect(parse(withEvents(push(), [event])).pushes[0]).toMatchObject({ host: '127.0.0.1:5000', pushedAt: RECEIVED.toISOString() });
  });

  it('lower-cases host and repository', () => {
    expect(parse(push({ host: 'Registry.Example.COM', repository: 'Team/App' })).pushes[0]).toMatchObject({ host: 'registry.example.com', repository: 'team/app' });
  });

  it('ignores a manifest pushed by digest', () => {
    const [delivery] = fixtures.byDigestPush({ repository: 'team/app', digest: DIGEST, id: 'evt-2' });
    expect(parse(delivery!)).toEqual({
      pushes: [],
      ignored: [{ reason: `untagged manifest push (by digest or per-platform): team/app@${DIGEST}`, deliveryId: 'evt-2' }],
      invalid: [],
    });
  });

  it('takes only the tagged index of a multi-arch batch, ignoring blobs and platform manifests', () => {
    const [batch, ...rest] = fixtures.multiArch({ repository: 'team/app', tag: '2.0.0', digest: DIGEST, platforms: ['linux/amd64', 'linux/arm64'] });
    expect(rest).toEqual([]);
    const result = parse(batch!);
    expect(result.pushes).toEqual([expect.objectContaining({ tag: '2.0.0', digest: DIGEST })]);
    expect(result.ignored.map((i) => i.reason.replace(/@sha256:.*/, ''))).toEqual([
      'blob push (application/octet-stream) to team/app',
      'untagged manifest push (by digest or per-platform): team/app',
      'untagged manifest push (by digest or per-platform): team/app',
    ]);
  });

  it('ignores pulls (even by tag), deletes, blob pushes and mounts, saying which', () => {
    const reasons = fixtures.irrelevant({ repository: 'team/app', tag: '1.4.0', digest: DIGEST }).flatMap((d) => parse(d).ignored.map((i) => i.reason));
    expect(reasons).toEqual(['pull of team/app:1.4.0', `delete of team/app@${DIGEST}`, 'blob push (application/octet-stream) to team/app']);
    const mount = { ...envelope(push()).events[0]!, action: 'mount', target: { mediaType: 'application/octet-stream', digest: DIGEST, repository: 'team/app', fromRepository: 'team/base' } };
    expect(parse(withEvents(push(), [mount])).ignored).toEqual([{ reason: 'blob mount into team/app', deliveryId: 'evt-1' }]);
  });

  it('keeps the good events of a batch with a bad one, naming the bad field', () => {
    const good = envelope(push()).events[0]!;
    const bad = envelope(push({ id: 'evt-bad' })).events[0]!;
    delete bad['target'].repository;
    const other = envelope(push({ tag: '1.4.1', id: 'evt-3' })).events[0]!;
    const result = parse(withEvents(push(), [good, bad, other]));
    expect(result.pushes.map((p) => p.deliveryId)).toEqual(['evt-1', 'evt-3']);
    expect(result.invalid).toEqual([{ path: 'events[1].target.repository', message: 'events[1].target.repository is missing' }]);
  });

  it('reports an invalid tag, digest or time in a batch by path', () => {
    const events = [
      { ...envelope(push()).events[0]!, target: { ...envelope(push()).events[0]!['target'], tag: '-bad' } },
      { ...envelope(push()).events[0]!, target: { ...envelope(push()).events[0]!['target'], digest: 'sha256:short' } },
      { ...envelope(push()).events[0]!, timestamp: 'yesterday' },
      'not an event',
    ];
    expect(parse(withEvents(push(), events)).invalid.map((i) => i.path)).toEqual(['events[0].target.tag', 'events[1].target.digest', 'events[2].timestamp', 'events[3]']);
  });

  it('fails a single-event delivery with a missing field as a whole', () => {
    const event = envelope(push()).events[0]!;
    delete event['target'].repository;
    expect(payloadError(() => parse(withEvents(push(), [event]))).path).toBe('events[0].target.repository');
    const hostless = envelope(push()).events[0]!;
    delete hostless['request'];
    delete hostless['target'].url;
    expect(payloadError(() => parse(withEvents(push(), [hostless]))).path).toBe('events[0].request');
  });

  it('requires the events envelope', () => {
    expect(payloadError(() => parse({ ...push(), body: '{"event": {}}' }))).toMatchObject({ path: 'events', message: 'events is missing' });
    expect(payloadError(() => parse({ ...push(), body: '{"events": {}}' })).path).toBe('events');
    expect(parse({ ...push(), body: '{"events": []}' })).toEqual({ pushes: [], ignored: [], invalid: [] });
  });
});
