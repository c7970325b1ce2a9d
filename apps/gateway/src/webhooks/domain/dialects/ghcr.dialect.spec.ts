import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { ghcrDialect as sut } from './ghcr.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2025-03-04T05:06:07Z');
const DIGEST = fixtureDigest('index');
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const push = (overrides: object = {}) => registryWebhook('ghcr').push({ repository: 'octo-org/web', tag: 'v3.1.0', digest: DIGEST, pushedAt: AT, id: 'gh-delivery-1', ...overrides });

function edited(fixture: WebhookFixture, edit: (pkg: Record<string, any>, body: Record<string, any>) => void): WebhookFixture {
  const body = JSON.parse(fixture.body) as Record<string, any>;
  edit((body['package'] ?? body['registry_package']) as Record<string, any>, body);
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

describe('ghcr dialect', () => {
  it('maps a package push field by field', () => {
    expect(parse(push())).toEqual({
      pushes: [{ host: 'ghcr.io', repository: 'octo-org/web', tag: 'v3.1.0', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.000Z', source: 'ghcr', deliveryId: 'gh-delivery-1' }],
      ignored: [],
      invalid: [],
    });
  });

  it('reads the older registry_package event the same way', () => {
    const fixture = registryWebhook('ghcr', { ghcrEvent: 'registry_package' }).push({ repository: 'octo-org/web', tag: 'v3.1.0', digest: DIGEST, pushedAt: AT, id: 'd' });
    expect(fixture.headers['x-github-event']).toBe('registry_package');
    expect(parse(fixture).pushes).toEqual([expect.objectContaining({ repository: 'octo-org/web', digest: DIGEST })]);
  });

  it('lower-cases an owner with upper case', () => {
    expect(parse(push({ repository: 'Octo-Org/Web' })).pushes[0]!.repository).toBe('octo-org/web');
  });

  it("falls back from GitHub's 0001-01-01 created_at to updated_at, then to the receipt time", () => {
    const zero = '0001-01-01T00:00:00Z';
    const created = edited(push(), (pkg) => (pkg['package_version'].created_at = zero));
    expect(parse(created).pushes[0]!.pushedAt).toBe('2025-03-04T05:06:07.000Z');
    const versionZero = edited(push(), (pkg) => {
      pkg['package_version'].created_at = zero;
      pkg['package_version'].updated_at = zero;
      pkg['updated_at'] = '2025-03-04T06:00:00Z';
    });
    expect(parse(versionZero).pushes[0]!.pushedAt).toBe('2025-03-04T06:00:00.000Z');
    const allZero = edited(versionZero, (pkg) => (pkg['updated_at'] = zero));
    expect(parse(allZero).pushes[0]!.pushedAt).toBe(RECEIVED.toISOString());
  });

  it('takes the owner login when there is no namespace, and the version name when the tag has no digest', () => {
    const fixture = edited(push(), (pkg) => {
      delete pkg['namespace'];
      pkg['owner'].login = 'Someone';
      pkg['package_version'].container_metadata.tag.digest = '';
    });
    expect(parse(fixture).pushes[0]).toMatchObject({ repository: 'someone/web', digest: DIGEST });
  });

  it('ignores an untagged (per-platform) manifest and keeps only the tagged index of a multi-arch push', () => {
    const results = registryWebhook('ghcr').multiArch({ repository: 'octo-org/web', tag: 'v3.1.0', digest: DIGEST, pushedAt: AT }).map(parse);
    expect(results.map((r) => r.ignored.map((i) => i.reason))).toEqual([
      ['untagged manifest (per-platform of a multi-arch push)'],
      ['untagged manifest (per-platform of a multi-arch push)'],
      [],
    ]);
    expect(results.flatMap((r) => r.pushes)).toEqual([expect.objectContaining({ tag: 'v3.1.0', digest: DIGEST })]);
  });

  it('ignores pings, other events, other package types and other actions, saying which', () => {
    const reasons = (fixture: WebhookFixture) => parse(fixture).ignored.map((i) => i.reason);
    const [ping, docker] = registryWebhook('ghcr').irrelevant({ repository: 'octo-org/web', tag: 'v1', id: 'ping-1' });
    expect(parse(ping!).ignored).toEqual([{ reason: 'ping: the webhook works; a ping deploys nothing', deliveryId: 'ping-1' }]);
    expect(reasons(docker!)).toEqual(['package_type docker is the retired docker.pkg.github.com registry, not ghcr.io']);
    expect(reasons(edited(push(), (pkg) => (pkg['package_type'] = 'npm')))).toEqual(['package_type npm is not a container image']);
    expect(reasons(edited(push(), (_pkg, body) => (body['action'] = 'deleted')))).toEqual(['package action deleted is not a publish']);
    expect(reasons({ ...push(), headers: { ...push().headers, 'x-github-event': 'push' } })).toEqual(['GitHub event push is not a package event']);
  });

  it('accepts updated as well as published, and container in lower case', () => {
    expect(parse(edited(push(), (pkg, body) => ((body['action'] = 'updated'), (pkg['package_type'] = 'container')))).pushes).toHaveLength(1);
  });

  it('infers the event from the body when X-GitHub-Event is missing', () => {
    const { 'x-github-event': _event, ...headers } = push().headers;
    expect(parse({ ...push(), headers }).pushes).toHaveLength(1);
    expect(payloadError(() => parse({ ...push(), headers, body: '{"action":"created"}' })).path).toBe('headers.x-github-event');
  });

  it('names the missing field', () => {
    expect(payloadError(() => parse(edited(push(), (pkg) => delete pkg['package_version'].container_metadata))).path).toBe('package.package_version.container_metadata');
    expect(payloadError(() => parse(edited(push(), (pkg) => delete pkg['name']))).path).toBe('package.name');
    expect(payloadError(() => parse(edited(push(), (_pkg, body) => delete body['package']))).path).toBe('package');
    expect(payloadError(() => parse(edited(push(), (pkg) => (pkg['package_version'].container_metadata.tag.digest = 'sha256:x')))).path).toBe(
      'package.package_version.container_metadata.tag.digest',
    );
  });
});
