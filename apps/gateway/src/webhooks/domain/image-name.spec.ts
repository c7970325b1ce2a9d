import { digestAt, hostAt, hostOfUrl, hostPrefix, looksLikeDigest, normalizeHost, repositoryAt, splitReference, tagAt } from './image-name';
import { WebhookPayloadError } from './webhook-delivery';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('image names', () => {
  it('calls Docker Hub docker.io whatever alias the payload uses, and lower-cases hosts', () => {
    for (const alias of ['index.docker.io', 'registry-1.docker.io', 'Docker.IO', 'registry.hub.docker.com']) expect(normalizeHost(alias)).toBe('docker.io');
    expect(hostAt('Registry.Example.COM:5000', 'request.host')).toBe('registry.example.com:5000');
    expect(hostAt('[::1]:5000', 'request.host')).toBe('[::1]:5000');
  });

  it('rejects a host that is not one, naming the field', () => {
    expect(payloadError(() => hostAt('registry example', 'request.host'))).toMatchObject({ path: 'request.host' });
    expect(payloadError(() => hostAt('', 'request.host')).path).toBe('request.host');
  });

  it('lower-cases repositories and accepts every separator the distribution spec allows', () => {
    expect(repositoryAt('Team/My-App', 'r')).toBe('team/my-app');
    for (const name of ['a/b__c', 'a/b--c', 'a.b/c_d', 'library/nginx']) expect(repositoryAt(name, 'r')).toBe(name);
  });

  it('rejects invalid repositories, tags and digests with the field path', () => {
    for (const bad of ['', '/app', 'app/', 'a//b', 'a b', '-app', 'app:tag', 'a'.repeat(256)]) {
      expect(payloadError(() => repositoryAt(bad, 'events[0].target.repository')).path).toBe('events[0].target.repository');
    }
    for (const bad of ['', '.hidden', '-x', 'a b', 'x'.repeat(129), 'v1:2']) expect(payloadError(() => tagAt(bad, 't')).path).toBe('t');
    for (const bad of ['sha256:abc', `sha512:${'a'.repeat(64)}`, 'ab'.repeat(32)]) expect(payloadError(() => digestAt(bad, 'd')).path).toBe('d');
  });

  it('keeps valid tags and lower-cases digests', () => {
    expect(tagAt('v1.2.3-rc.1_b', 't')).toBe('v1.2.3-rc.1_b');
    expect(tagAt('x'.repeat(128), 't')).toHaveLength(128);
    expect(digestAt(DIGEST.toUpperCase().replace('SHA256', 'sha256'), 'd')).toBe(DIGEST);
  });

  it('recognises digests standing in for tags', () => {
    expect(looksLikeDigest(DIGEST)).toBe(true);
    expect(looksLikeDigest(`sha256__${'ab'.repeat(32)}`)).toBe(true);
    expect(looksLikeDigest('sha256')).toBe(false);
  });

  it('splits full references', () => {
    expect(splitReference(`us-docker.pkg.dev/p/r/img:1.0@${DIGEST}`)).toEqual({ host: 'us-docker.pkg.dev', repository: 'p/r/img', tag: '1.0', digest: DIGEST });
    expect(splitReference('localhost:5000/app')).toEqual({ host: 'localhost:5000', repository: 'app' });
    expect(splitReference('no-host')).toBeUndefined();
  });

  it('finds hosts in URLs and URL-ish values', () => {
    expect(hostOfUrl('http://127.0.0.1:5000/v2/app/manifests/x')).toBe('127.0.0.1:5000');
    expect(hostOfUrl('not a url')).toBeUndefined();
    expect(hostPrefix('harbor.example.com/library/app:1')).toBe('harbor.example.com');
    expect(hostPrefix('https://quay.io/ns/app')).toBe('quay.io');
  });
});
