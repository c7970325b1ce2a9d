import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HangarError } from '@hangar/contracts';
import { failureOf } from '@hangar/testing';
import { RegistryClient, type RegistryCredentials } from './registry.client';

/*
 * Docker Hub and other token-protected registries are out of reach (no network here), so a tiny
 * in-test HTTP server plays their part: 401 + WWW-Authenticate, a token endpoint, basic auth.
 */
interface FakeRegistryOptions {
  readonly auth: 'bearer' | 'basic';
  /** The token endpoint (bearer) or the registry (basic) demands these; bearer is anonymous without. */
  readonly user?: RegistryCredentials;
  /** HEAD answers without Docker-Content-Digest, so the client must GET and hash. */
  readonly omitDigestHeader?: boolean;
  /** Status for every authorized manifest request, instead of serving the manifest. */
  readonly status?: number;
  /** Never answer manifest requests. */
  readonly hang?: boolean;
}

interface FakeRegistry {
  readonly host: string;
  readonly requests: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}

const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const MANIFEST_DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const TOKEN = 'token-123';
const basic = (u: RegistryCredentials): string => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

async function startFakeRegistry(options: FakeRegistryOptions, bindAddress = '127.0.0.1'): Promise<FakeRegistry> {
  const requests: FakeRegistry['requests'] = [];
  let host = '';
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (url.pathname === '/token') {
      if (options.user && req.headers.authorization !== basic(options.user)) return void res.writeHead(401).end('{"details":"bad creds"}');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN }));
    }
    const match = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
    if (!match) return void res.writeHead(404).end();
    const authorized =
      options.auth === 'bearer' ? req.headers.authorization === `Bearer ${TOKEN}` : options.user !== undefined && req.headers.authorization === basic(options.user);
    if (!authorized) {
      const challenge =
        options.auth === 'bearer'
          ? `Bearer realm="http://${host}/token",service="fake-registry",scope="repository:${match[1]}:pull"`
          : 'Basic realm="fake"';
      return void res.writeHead(401, { 'www-authenticate': challenge }).end();
    }
    if (options.hang) return;
    if (options.status) return void res.writeHead(options.status).end();
    if (match[2] !== 'v1' && match[2] !== MANIFEST_DIGEST) return void res.writeHead(404).end();
    const headers = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(MANIFEST.length) };
    res.writeHead(200, options.omitDigestHeader ? headers : { ...headers, 'docker-content-digest': MANIFEST_DIGEST });
    res.end(req.method === 'HEAD' ? undefined : MANIFEST);
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, bindAddress, resolve));
  host = `${bindAddress}:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}


describe(`${RegistryClient.name} auth flows`, () => {
  const sut = new RegistryClient({ timeoutMs: 5_000, allowLoopback: true });
  const user = { username: 'deployer', password: 's3cret' };
  const registries: FakeRegistry[] = [];
  const start = async (options: FakeRegistryOptions, bindAddress?: string): Promise<FakeRegistry> => {
    const registry = await startFakeRegistry(options, bindAddress);
    registries.push(registry);
    return registry;
  };

  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close()));
  });

  it('fetches an anonymous bearer token with the challenge service and scope, then retries', async () => {
    const registry = await start({ auth: 'bearer' });
    await expect(sut.resolve(`${registry.host}/org/app:v1`)).resolves.toEqual({ digest: MANIFEST_DIGEST, canonicalRef: `${registry.host}/org/app:v1` });
    expect(registry.requests).toEqual([
      { method: 'HEAD', path: '/v2/org/app/manifests/v1' },
      { method: 'GET', path: `/token?service=fake-registry&scope=${encodeURIComponent('repository:org/app:pull')}` },
      { method: 'HEAD', path: '/v2/org/app/manifests/v1', authorization: `Bearer ${TOKEN}` },
    ]);
  });

  it('sends basic credentials to the token endpoint when it has them for the registry', async () => {
    const registry = await start({ auth: 'bearer', user });
    const resolved = await sut.resolve(`${registry.host}/org/app:v1`, { credentials: { [registry.host]: user } });
    expect(resolved.digest).toBe(MANIFEST_DIGEST);
    expect(registry.requests[1]).toMatchObject({ authorization: basic(user) });
  });

  it('fails with IMAGE.UNAUTHORIZED when the token endpoint refuses', async () => {
    const registry = await start({ auth: 'bearer', user });
    const anonymous = await failureOf(sut.resolve(`${registry.host}/org/app:v1`));
    expect(anonymous.code).toBe('IMAGE.UNAUTHORIZED');
    expect(anonymous.message).toBe(`image '${registry.host}/org/app:v1' unauthorized: token endpoint ${registry.host} refused anonymous access`);
    const wrong = await failureOf(sut.resolve(`${registry.host}/org/app:v1`, { credentials: { [registry.host]: { ...user, password: 'x' } } }));
    expect(wrong.message).toContain('refused the credentials');
  });

  it('retries with basic auth when the registry challenges Basic', async () => {
    const registry = await start({ auth: 'basic', user });
    const resolved = await sut.resolve(`${registry.host}/app@${MANIFEST_DIGEST}`, { credentials: { [registry.host]: user } });
    expect(resolved.digest).toBe(MANIFEST_DIGEST);
    expect(registry.requests.map((r) => r.authorization)).toEqual([undefined, basic(user)]);
  });

  it('fails a Basic challenge without or with wrong credentials as IMAGE.UNAUTHORIZED', async () => {
    const registry = await start({ auth: 'basic', user });
    const none = await failureOf(sut.resolve(`${registry.host}/app:v1`));
    expect(none.code).toBe('IMAGE.UNAUTHORIZED');
    expect(none.message).toContain(`${registry.host} requires credentials and none are configured`);
    const wrong = await failureOf(sut.resolve(`${registry.host}/app:v1`, { credentials: { [registry.host]: { ...user, password: 'x' } } }));
    expect(wrong.code).toBe('IMAGE.UNAUTHORIZED');
  });

  it('hashes the manifest body when HEAD carries no Docker-Content-Digest', async () => {
    const registry = await start({ auth: 'bearer', omitDigestHeader: true });
    await expect(sut.resolve(`${registry.host}/org/app:v1`)).resolves.toMatchObject({ digest: MANIFEST_DIGEST });
    expect(registry.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v2/org/app/manifests/v1' });
  });

  it('maps any other status to IMAGE.REGISTRY_ERROR with the status', async () => {
    const registry = await start({ auth: 'bearer', status: 503 });
    const error = await failureOf(sut.resolve(`${registry.host}/org/app:v1`));
    expect(error.code).toBe('IMAGE.REGISTRY_ERROR');
    expect(error.message).toBe(`image '${registry.host}/org/app:v1' could not be resolved: ${registry.host} answered HTTP 503`);
  });

  it('gives up on a registry that never answers at the deadline, as IMAGE.REGISTRY_UNREACHABLE', async () => {
    const registry = await start({ auth: 'bearer', hang: true });
    const error = await failureOf(sut.resolve(`${registry.host}/org/app:v1`, { timeoutMs: 300 }));
    expect(error.code).toBe('IMAGE.REGISTRY_UNREACHABLE');
    expect(error.message).toContain(`registry ${registry.host} is unreachable: no answer within 300ms`);
  });

  it('speaks https to other hosts unless they are listed as insecure', async () => {
    const registry = await start({ auth: 'bearer' }, '127.0.0.2');
    const tls = await failureOf(sut.resolve(`${registry.host}/org/app:v1`));
    expect(tls.code).toBe('IMAGE.REGISTRY_UNREACHABLE');
    expect(tls.message).toContain(`registry ${registry.host} is unreachable: TLS handshake failed`);
    expect(registry.requests).toEqual([]);
    const insecure = new RegistryClient({ insecureRegistries: [registry.host], allowLoopback: true });
    await expect(insecure.resolve(`${registry.host}/org/app:v1`)).resolves.toMatchObject({ digest: MANIFEST_DIGEST });
  });
});
