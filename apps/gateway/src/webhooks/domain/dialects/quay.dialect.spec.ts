import { fixtureDelivery, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { quayDialect as sut } from './quay.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const options = { host: 'quay.io', repository: 'acme/worker', tag: 'v9' };
const push = () => registryWebhook('quay').push(options);

function edited(fixture: WebhookFixture, edit: (body: Record<string, any>) => void): WebhookFixture {
  const body = JSON.parse(fixture.body) as Record<string, any>;
  edit(body);
  return { ...fixture, body: JSON.stringify(body) };
}

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('quay dialect', () => {
  it('maps a push field by field: host from docker_url, receipt time, no digest, no delivery id', () => {
    expect(parse(push())).toEqual({
      pushes: [{ host: 'quay.io', repository: 'acme/worker', tag: 'v9', pushedAt: RECEIVED.toISOString(), source: 'quay' }],
      ignored: [],
      invalid: [],
    });
  });

  it('reads updated_tags as the old quay.io object keyed by tag', () => {
    const fixture = registryWebhook('quay', { quayUpdatedTags: 'object' }).push(options);
    expect(JSON.parse(fixture.body).updated_tags).toEqual({ v9: expect.any(String) });
    expect(parse(fixture).pushes.map((p) => p.tag)).toEqual(['v9']);
  });

  it('makes one push per updated tag, and keeps the good tags when one is bad', () => {
    expect(parse(edited(push(), (b) => (b['updated_tags'] = ['v9', 'latest']))).pushes.map((p) => p.tag)).toEqual(['v9', 'latest']);
    const result = parse(edited(push(), (b) => (b['updated_tags'] = ['v9', 'bad tag', 7, 'latest'])));
    expect(result.pushes.map((p) => p.tag)).toEqual(['v9', 'latest']);
    expect(result.invalid.map((i) => i.path)).toEqual(['updated_tags[1]', 'updated_tags[2]']);
    const object = parse(edited(push(), (b) => (b['updated_tags'] = { v9: 'x', '-no': 'y' })));
    expect(object.invalid.map((i) => i.path)).toEqual(['updated_tags["-no"]']);
  });

  it('lower-cases host and repository', () => {
    const fixture = registryWebhook('quay').push({ host: 'Quay.Example.COM', repository: 'Acme/Worker', tag: 'v9' });
    expect(parse(fixture).pushes[0]).toMatchObject({ host: 'quay.example.com', repository: 'acme/worker' });
  });

  it('ignores a push that updated no tags', () => {
    const [delivery] = registryWebhook('quay').byDigestPush(options);
    expect(parse(delivery!)).toEqual({ pushes: [], ignored: [{ reason: 'push to acme/worker updated no tags' }], invalid: [] });
  });

  it('ignores build and vulnerability notifications sent to the same receiver', () => {
    expect(registryWebhook('quay').irrelevant(options).map((d) => parse(d).ignored[0]!.reason)).toEqual([
      'Quay build notification, not a push',
      'Quay vulnerability notification, not a push',
    ]);
  });

  it('rejects a body rewritten by a template, naming what is missing', () => {
    expect(payloadError(() => parse(edited(push(), (b) => delete b['updated_tags'])))).toMatchObject({ path: 'updated_tags', message: 'updated_tags is missing' });
    expect(payloadError(() => parse(edited(push(), (b) => delete b['repository']))).path).toBe('repository');
    expect(payloadError(() => parse(edited(push(), (b) => delete b['docker_url']))).path).toBe('docker_url');
    expect(payloadError(() => parse(edited(push(), (b) => (b['updated_tags'] = 'v9')))).path).toBe('updated_tags');
    expect(payloadError(() => parse(edited(push(), (b) => (b['updated_tags'] = ['-bad'])))).path).toBe('updated_tags[0]');
  });
});
