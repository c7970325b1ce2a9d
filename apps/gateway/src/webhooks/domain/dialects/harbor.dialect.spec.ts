import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { harborDialect as sut } from './harbor.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2025-03-04T05:06:07Z');
const DIGEST = fixtureDigest('index');
const OTHER = fixtureDigest('other');
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const options = { host: 'harbor.example.com', repository: 'library/shop', tag: '5.0', digest: DIGEST, pushedAt: AT, id: 'ce-1' };
const defaultPush = () => registryWebhook('harbor').push(options);
const cloudPush = () => registryWebhook('harbor', { harborFormat: 'cloudevents' }).push(options);

function edited(fixture: WebhookFixture, edit: (data: Record<string, any>, body: Record<string, any>) => void): WebhookFixture {
  const body = JSON.parse(fixture.body) as Record<string, any>;
  edit((body['event_data'] ?? body['data']) as Record<string, any>, body);
  return { ...fixture, body: JSON.stringify(body) };
}
const resource = (tag: string, digest: string) => ({ digest, tag, resource_url: `harbor.example.com/library/shop:${tag}` });

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('harbor dialect', () => {
  it('maps a Default-format push field by field (no delivery id in that format)', () => {
    expect(parse(defaultPush())).toEqual({
      pushes: [{ host: 'harbor.example.com', repository: 'library/shop', tag: '5.0', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.000Z', source: 'harbor' }],
      ignored: [],
      invalid: [],
    });
  });

  it('maps a CloudEvents push field by field, with the event id', () => {
    const fixture = cloudPush();
    expect(fixture.headers['content-type']).toBe('application/cloudevents+json');
    expect(parse(fixture).pushes).toEqual([
      { host: 'harbor.example.com', repository: 'library/shop', tag: '5.0', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.000Z', source: 'harbor', deliveryId: 'ce-1' },
    ]);
  });

  it('gives each resource of a CloudEvent its own delivery id', () => {
    const fixture = edited(cloudPush(), (data) => (data['resources'] = [resource('5.0', DIGEST), resource('stable', DIGEST)]));
    expect(parse(fixture).pushes.map((p) => [p.tag, p.deliveryId])).toEqual([
      ['5.0', 'ce-1#0'],
      ['stable', 'ce-1#1'],
    ]);
  });

  it('lower-cases host and repository', () => {
    const fixture = registryWebhook('harbor').push({ ...options, host: 'Harbor.Example.COM', repository: 'Library/Shop' });
    expect(parse(fixture).pushes[0]).toMatchObject({ host: 'harbor.example.com', repository: 'library/shop' });
  });

  it('treats a tag holding the digest, or no tag, as a push by digest', () => {
    const [byDigest] = registryWebhook('harbor').byDigestPush({ repository: 'library/shop', digest: DIGEST });
    expect(JSON.parse(byDigest!.body).event_data.resources[0].tag).toBe(DIGEST);
    expect(parse(byDigest!)).toEqual({ pushes: [], ignored: [{ reason: `push by digest: library/shop@${DIGEST}` }], invalid: [] });
    expect(parse(edited(defaultPush(), (data) => (data['resources'][0].tag = ''))).ignored).toHaveLength(1);
  });

  it('keeps only the tagged index of a multi-arch push', () => {
    const results = registryWebhook('harbor', { harborFormat: 'cloudevents' }).multiArch(options).map(parse);
    expect(results.map((r) => r.pushes.length)).toEqual([0, 0, 1]);
    expect(results[2]!.pushes[0]).toMatchObject({ tag: '5.0', digest: DIGEST, deliveryId: 'ce-1' });
  });

  it('ignores other event types in both formats, naming them', () => {
    const reasons = [registryWebhook('harbor'), registryWebhook('harbor', { harborFormat: 'cloudevents' })]
      .flatMap((f) => f.irrelevant(options))
      .map((d) => parse(d).ignored[0]!.reason);
    expect(reasons).toEqual([
      'Harbor event PULL_ARTIFACT is not an artifact push',
      'Harbor event DELETE_ARTIFACT is not an artifact push',
      'Harbor event harbor.artifact.pulled is not an artifact push',
      'Harbor event harbor.artifact.deleted is not an artifact push',
    ]);
    expect(parse(edited(defaultPush(), (_d, body) => (body['type'] = 'SCANNING_COMPLETED'))).ignored[0]!.reason).toBe('Harbor event SCANNING_COMPLETED is not an artifact push');
  });

  it('keeps the good resources of several when one is bad, naming the bad field', () => {
    const fixture = edited(defaultPush(), (data) => {
      const { resource_url: _url, ...noUrl } = resource('broken', OTHER);
      data['resources'] = [resource('5.0', DIGEST), noUrl, resource('sha256:' + 'a'.repeat(64), OTHER), resource('latest', DIGEST)];
    });
    const result = parse(fixture);
    expect(result.pushes.map((p) => p.tag)).toEqual(['5.0', 'latest']);
    expect(result.ignored).toHaveLength(1);
    expect(result.invalid).toEqual([{ path: 'event_data.resources[1].resource_url', message: 'event_data.resources[1].resource_url is missing' }]);
  });

  it('fails a delivery whose repository or single resource is unusable, naming the field', () => {
    expect(payloadError(() => parse(edited(defaultPush(), (data) => delete data['repository'].repo_full_name))).path).toBe('event_data.repository.repo_full_name');
    expect(payloadError(() => parse(edited(cloudPush(), (data) => (data['resources'][0].digest = 'md5:1')))).path).toBe('data.resources[0].digest');
    expect(payloadError(() => parse(edited(defaultPush(), (_d, body) => delete body['event_data']))).path).toBe('event_data');
    expect(payloadError(() => parse(edited(cloudPush(), (_d, body) => (body['time'] = 'now')))).path).toBe('time');
  });
});
