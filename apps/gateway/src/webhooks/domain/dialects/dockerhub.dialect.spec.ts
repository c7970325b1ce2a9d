import { fixtureDelivery, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { dockerhubDialect as sut } from './dockerhub.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2024-06-01T10:00:00Z');
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const push = (overrides: object = {}) => registryWebhook('dockerhub').push({ repository: 'acme/api', tag: 'latest', pushedAt: AT, ...overrides });

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

describe('dockerhub dialect', () => {
  it('maps a push field by field: docker.io, no digest, no delivery id', () => {
    expect(parse(push())).toEqual({
      pushes: [{ host: 'docker.io', repository: 'acme/api', tag: 'latest', pushedAt: '2024-06-01T10:00:00.000Z', source: 'dockerhub' }],
      ignored: [],
      invalid: [],
    });
  });

  it('reads pushed_at written as a float, with a fraction or in exponent form', () => {
    const fractional = registryWebhook('dockerhub', { dockerhubPushedAt: 'fractional' }).push({ repository: 'acme/api', tag: 'latest', pushedAt: AT });
    expect(fractional.body).toContain('"pushed_at":1717236000.25');
    expect(parse(fractional).pushes[0]!.pushedAt).toBe('2024-06-01T10:00:00.250Z');
    const exponent = registryWebhook('dockerhub', { dockerhubPushedAt: 'exponent' }).push({ repository: 'acme/api', tag: 'latest', pushedAt: AT });
    expect(exponent.body).toContain('"pushed_at":1.717236e+09');
    expect(parse(exponent).pushes[0]!.pushedAt).toBe('2024-06-01T10:00:00.000Z');
    expect(parse({ ...push(), body: push().body.replace(/"pushed_at":\d+/, '"pushed_at":1.417566161e+09') }).pushes[0]!.pushedAt).toBe('2014-12-03T00:22:41.000Z');
  });

  it('uses the receipt time when pushed_at is absent, and rejects one that is not a number', () => {
    expect(parse(edited(push(), (b) => delete b['push_data'].pushed_at)).pushes[0]!.pushedAt).toBe(RECEIVED.toISOString());
    expect(payloadError(() => parse(edited(push(), (b) => (b['push_data'].pushed_at = 'today')))).path).toBe('push_data.pushed_at');
  });

  it('names an official image without namespace as library/<name>', () => {
    expect(parse(edited(push(), (b) => (b['repository'].repo_name = 'nginx'))).pushes[0]!.repository).toBe('library/nginx');
  });

  it('lower-cases the repository', () => {
    expect(parse(push({ repository: 'Acme/API' })).pushes[0]!.repository).toBe('acme/api');
  });

  it('reports the several near-identical webhooks of one multi-arch push as the same push', () => {
    const pushes = registryWebhook('dockerhub').multiArch({ repository: 'acme/api', tag: 'v2', pushedAt: AT }).flatMap((d) => parse(d).pushes);
    expect(pushes.length).toBeGreaterThan(1);
    expect(new Set(pushes.map((p) => JSON.stringify(p))).size).toBe(1);
  });

  it('names the missing field', () => {
    expect(payloadError(() => parse(edited(push(), (b) => delete b['push_data'].tag)))).toMatchObject({ path: 'push_data.tag', message: 'push_data.tag is missing' });
    expect(payloadError(() => parse(edited(push(), (b) => delete b['repository'].repo_name))).path).toBe('repository.repo_name');
    expect(payloadError(() => parse(edited(push(), (b) => delete b['push_data']))).path).toBe('push_data');
    expect(payloadError(() => parse(edited(push(), (b) => (b['push_data'].tag = 'bad tag')))).path).toBe('push_data.tag');
  });
});
