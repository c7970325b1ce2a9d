import { REGISTRY_SOURCES, type RegistrySource } from '@hangar/contracts';
import { fixtureDelivery, fixtureDigest, registryWebhook, signDelivery, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { dialectFor } from './index';

// What every dialect must do, whatever its source; each <source>.dialect.spec.ts covers its own payloads.

const SECRET = 'whsec-7c1a9e0b54f2';
const AT = new Date('2025-03-04T05:06:07Z');
const PUSH = { repository: 'team/app', tag: 'v1.2.3', pushedAt: AT };
/** Sources whose payloads carry no digest (builder resolves it). */
const DIGESTLESS: readonly RegistrySource[] = ['dockerhub', 'quay'];
/** Docker Hub notifies only tag pushes, and nothing but pushes. */
const PUSH_ONLY: readonly RegistrySource[] = ['dockerhub'];

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('dialectFor', () => {
  it('has a dialect for every registry source', () => {
    for (const source of REGISTRY_SOURCES) expect(dialectFor(source).source).toBe(source);
  });
});

describe.each(REGISTRY_SOURCES)('%s dialect', (source) => {
  const sut = dialectFor(source);
  const fixtures = registryWebhook(source);
  const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, AT));

  it('authenticates a delivery signed with the receiver secret', () => {
    expect(sut.authenticate(SECRET, fixtureDelivery(signDelivery(source, SECRET, fixtures.push(PUSH))))).toEqual({ ok: true });
  });

  it('rejects a delivery with another secret, without leaking either', () => {
    const check = sut.authenticate(SECRET, fixtureDelivery(signDelivery(source, 'not-the-secret', fixtures.push(PUSH))));
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.reason).not.toContain(SECRET);
      expect(check.reason).not.toContain('not-the-secret');
    }
  });

  it('rejects a delivery with no authentication at all', () => {
    expect(sut.authenticate(SECRET, fixtureDelivery(fixtures.push(PUSH))).ok).toBe(false);
  });

  it('checks the body itself exactly where the source signs it (GitHub, JFrog)', () => {
    const signed = signDelivery(source, SECRET, fixtures.push(PUSH));
    const tampered = { ...signed, body: signed.body.replace('v1.2.3', 'v6.6.6') };
    expect(sut.authenticate(SECRET, fixtureDelivery(tampered)).ok).toBe(source !== 'ghcr' && source !== 'jfrog');
  });

  it('maps a push to exactly one normalised push of its source', () => {
    const { pushes, ignored, invalid } = parse(fixtures.push(PUSH));
    expect(ignored).toEqual([]);
    expect(invalid).toEqual([]);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ repository: 'team/app', tag: 'v1.2.3', pushedAt: AT.toISOString(), source });
    expect(pushes[0]!.digest === undefined).toBe(DIGESTLESS.includes(source));
  });

  it('lower-cases an upper-case repository', () => {
    expect(parse(fixtures.push({ ...PUSH, repository: 'Team/My-App' })).pushes.map((p) => p.repository)).toEqual(['team/my-app']);
  });

  it('rejects a truncated body as `body is not valid JSON`', () => {
    const body = fixtures.push(PUSH).body;
    const error = payloadError(() => parse({ ...fixtures.push(PUSH), body: body.slice(0, body.length / 2) }));
    expect(error.path).toBe('body');
    expect(error.message).toMatch(/^body is not valid JSON/);
  });

  it('rejects a JSON body that is not an envelope', () => {
    expect(payloadError(() => parse({ ...fixtures.push(PUSH), body: '"push"' })).path).toBe('body');
  });

  it('turns a multi-arch push into pushes of the tagged index only', () => {
    const results = fixtures.multiArch(PUSH).map(parse);
    const pushes = results.flatMap((r) => r.pushes);
    expect(results.flatMap((r) => r.invalid)).toEqual([]);
    expect(pushes.length).toBeGreaterThan(0);
    for (const push of pushes) expect(push).toMatchObject({ repository: 'team/app', tag: 'v1.2.3' });
    if (DIGESTLESS.includes(source)) return;
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.digest).toBe(fixtureDigest('team/app:v1.2.3'));
  });

  if (!PUSH_ONLY.includes(source)) {
    it('ignores a push by digest, saying why', () => {
      const results = fixtures.byDigestPush({ repository: 'team/app', pushedAt: AT }).map(parse);
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(result.pushes).toEqual([]);
        expect(result.ignored).toEqual([expect.objectContaining({ reason: expect.stringMatching(/\S/) })]);
      }
    });

    it('ignores deliveries that are not pushes, saying why', () => {
      const results = fixtures.irrelevant(PUSH).map(parse);
      expect(results.length).toBeGreaterThan(1);
      for (const result of results) {
        expect(result.pushes).toEqual([]);
        expect(result.invalid).toEqual([]);
        expect(result.ignored).toEqual([expect.objectContaining({ reason: expect.stringMatching(/\S/) })]);
      }
    });
  }
});
