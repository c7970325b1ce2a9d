import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { jfrogDialect as sut } from './jfrog.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const DIGEST = fixtureDigest('index');
const options = { host: 'acme.jfrog.io', repository: 'docker-local/tools/cli', tag: '0.9.1', digest: DIGEST };
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const push = (overrides: object = {}) => registryWebhook('jfrog').push({ ...options, ...overrides });

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

describe('jfrog dialect', () => {
  it('maps a docker push field by field: sha256 prefixed, host of jpd_origin, receipt time', () => {
    expect(JSON.parse(push().body).data.sha256).toBe(DIGEST.slice('sha256:'.length));
    expect(parse(push())).toEqual({
      pushes: [{ host: 'acme.jfrog.io', repository: 'docker-local/tools/cli', tag: '0.9.1', digest: DIGEST, pushedAt: RECEIVED.toISOString(), source: 'jfrog' }],
      ignored: [],
      invalid: [],
    });
  });

  it('takes a multi-arch push as its tagged list.manifest.json', () => {
    const [list, ...rest] = registryWebhook('jfrog').multiArch(options);
    expect(rest).toEqual([]);
    expect(JSON.parse(list!.body).data).toMatchObject({ name: 'list.manifest.json', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] });
    expect(parse(list!).pushes).toEqual([expect.objectContaining({ tag: '0.9.1', digest: DIGEST })]);
  });

  it('ignores a manifest stored under its digest', () => {
    const [byDigest] = registryWebhook('jfrog').byDigestPush(options);
    expect(parse(byDigest!)).toEqual({ pushes: [], ignored: [{ reason: 'untagged manifest push (by digest or per-platform): tools/cli' }], invalid: [] });
  });

  it('lower-cases host and repository, and tolerates a prefixed sha256 or an origin without scheme', () => {
    expect(parse(push({ host: 'ACME.jfrog.io', repository: 'Docker-Local/Tools/CLI' })).pushes[0]).toMatchObject({ host: 'acme.jfrog.io', repository: 'docker-local/tools/cli' });
    const variant = edited(push(), (b) => ((b['data'].sha256 = DIGEST), (b['jpd_origin'] = 'acme.jfrog.io')));
    expect(parse(variant).pushes[0]).toMatchObject({ host: 'acme.jfrog.io', digest: DIGEST });
  });

  it('ignores other docker events and other domains, saying which', () => {
    expect(registryWebhook('jfrog').irrelevant(options).map((d) => parse(d).ignored[0]!.reason)).toEqual([
      'docker deleted of tools/cli:0.9.1, not a push',
      'JFrog artifact deployed event is not a docker push',
    ]);
  });

  it('names the missing or malformed field', () => {
    expect(payloadError(() => parse(edited(push(), (b) => delete b['data'].sha256)))).toMatchObject({ path: 'data.sha256', message: 'data.sha256 is missing' });
    expect(payloadError(() => parse(edited(push(), (b) => (b['data'].sha256 = 'abc')))).path).toBe('data.sha256');
    expect(payloadError(() => parse(edited(push(), (b) => delete b['data'].image_name))).path).toBe('data.image_name');
    expect(payloadError(() => parse(edited(push(), (b) => delete b['jpd_origin']))).path).toBe('jpd_origin');
    expect(payloadError(() => parse(edited(push(), (b) => (b['jpd_origin'] = 'https://')))).path).toBe('jpd_origin');
    expect(payloadError(() => parse(edited(push(), (b) => delete b['domain']))).path).toBe('domain');
  });
});
