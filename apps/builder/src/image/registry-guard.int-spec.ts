import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HangarError } from '@hangar/contracts';
import { failureOf } from '@hangar/testing';
import { RegistryClient, type RegistryClientOptions } from './registry.client';
import type { HostResolver } from './registry-guard';

/*
 * The builder's SSRF rules and response caps (issue 12 point 6, review H3/M5/L8) against small
 * registries served here on 127.0.0.1: each records what reached it, so "never contacted" is checked
 * on the side that would have been contacted.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, self: string) => void | Promise<void>;

interface FakeServer {
  readonly host: string;
  readonly requests: { method: string; path: string; authorization?: string }[];
  /** Responses whose connection closed before the handler finished writing them. */
  readonly closedEarly: string[];
  close(): Promise<void>;
}

const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const MANIFEST_DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const MiB = 1024 * 1024;

const servers: FakeServer[] = [];

async function serve(handler: Handler): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const closedEarly: string[] = [];
  let host = '';
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(req.url ?? '');
    });
    void handler(req, res, host);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeServer = {
    host,
    requests,
    closedEarly,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(fake);
  return fake;
}

/** A registry that challenges for a bearer token at `realm` and serves MANIFEST to `Bearer t`. */
const bearerRegistry =
  (realm: (self: string) => string): Handler =>
  (req, res, self) => {
    if (req.headers.authorization !== 'Bearer t') return void res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm(self)}",service="fake"` }).end();
    res.writeHead(200, { 'docker-content-digest': MANIFEST_DIGEST, 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end();
  };

/** Writes `total` bytes in 32 KiB chunks, yielding between them, unless the client goes away first. */
async function stream(res: ServerResponse, total: number, headers: Record<string, string> = {}): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  const chunk = Buffer.alloc(32 * 1024, 0x20);
  for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) await drainedOrClosed(res);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (!res.destroyed) res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}


async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`${RegistryClient.name} address rules, redirects and caps`, () => {
  const client = (options: RegistryClientOptions = {}) => new RegistryClient({ timeoutMs: 10_000, allowLoopback: true, ...options });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('never contacts a realm on another host that is private, link-local or (in production) loopback', async () => {
    const internal = await serve((_req, res) => void res.writeHead(200).end('{"token":"t"}'));
    const registry = await serve(bearerRegistry(() => `http://${internal.host}/internal/admin/keys`));
    // Production: loopback is not allowed, only the registry itself is listed.
    const production = client({ allowLoopback: false, allowPrivate: [registry.host] });
    const refused = await failureOf(production.resolve(`${registry.host}/org/app:v1`));
    expect(refused.code).toBe('IMAGE.ADDRESS_REFUSED');
    expect(refused.message).toBe(
      `image '${registry.host}/org/app:v1' could not be resolved: token endpoint ${internal.host} not contacted: ${internal.host} resolves to a loopback address (127.0.0.1); list it in HANGAR_REGISTRY_ALLOW_PRIVATE to allow it`,
    );
    expect(internal.requests).toEqual([]);

    const lookups: string[] = [];
    const metadata: HostResolver = { lookup: async (name) => (lookups.push(name), name === 'metadata.internal' ? ['10.0.0.7', '169.254.169.254'] : ['127.0.0.1']) };
    const named = await serve(bearerRegistry(() => 'https://metadata.internal/latest/api/token'));
    const viaDns = await failureOf(client({ resolver: metadata }).resolve(`${named.host}/org/app:v1`));
    expect(viaDns.code).toBe('IMAGE.ADDRESS_REFUSED');
    expect(viaDns.message).toContain('metadata.internal resolves to a private address (10.0.0.7)');
    expect(lookups).toEqual(['metadata.internal']);

    // Listed, the same realm is used: the refusal above is the rule, not a broken setup.
    await expect(client({ allowLoopback: false, allowPrivate: [registry.host, internal.host] }).resolve(`${registry.host}/org/app:v1`)).resolves.toMatchObject({ digest: MANIFEST_DIGEST });
    expect(internal.requests).toHaveLength(1);
  });

  it('refuses a plain-http realm on a host that is neither loopback nor listed as insecure, before resolving it', async () => {
    const lookups: string[] = [];
    const resolver: HostResolver = { lookup: async (name) => (lookups.push(name), ['140.82.112.3']) };
    const registry = await serve(bearerRegistry(() => 'http://auth.example.com/token'));
    const error = await failureOf(client({ resolver }).resolve(`${registry.host}/org/app:v1`));
    expect(error.code).toBe('IMAGE.REALM_REFUSED');
    expect(error.message).toContain('token realm http://auth.example.com/token must use https');
    expect(lookups).toEqual([]);
  });

  it('refuses a redirect to another host without contacting it; follows one on the same origin', async () => {
    const elsewhere = await serve((_req, res) => void res.writeHead(200, { 'docker-content-digest': MANIFEST_DIGEST }).end());
    const registry = await serve((req, res, self) => {
      if (req.url === '/v2/org/app/manifests/away') return void res.writeHead(307, { location: `http://${elsewhere.host}/v2/org/app/manifests/v1` }).end();
      if (req.url === '/v2/org/app/manifests/moved') return void res.writeHead(301, { location: `http://${self}/v2/org/app/manifests/v1` }).end();
      if (req.url === '/v2/org/app/manifests/loop') return void res.writeHead(302, { location: '/v2/org/app/manifests/loop' }).end();
      res.writeHead(200, { 'docker-content-digest': MANIFEST_DIGEST }).end();
    });
    const away = await failureOf(client().resolve(`${registry.host}/org/app:away`));
    expect(away.code).toBe('IMAGE.REDIRECT_REFUSED');
    expect(away.message).toBe(
      `image '${registry.host}/org/app:away' could not be resolved: registry http://${registry.host}/v2/org/app/manifests/away answered HTTP 307: a redirect to another host (http://${elsewhere.host}/v2/org/app/manifests/v1) is not followed`,
    );
    expect(elsewhere.requests).toEqual([]);
    await expect(client().resolve(`${registry.host}/org/app:moved`)).resolves.toMatchObject({ digest: MANIFEST_DIGEST });
    expect((await failureOf(client().resolve(`${registry.host}/org/app:loop`))).message).toContain('more than 3 redirects');
  });

  it('refuses a token endpoint that redirects to another host, without contacting it', async () => {
    const elsewhere = await serve((_req, res) => void res.writeHead(200).end('{"token":"t"}'));
    const registry = await serve((req, res, self) => {
      if (req.url?.startsWith('/token')) return void res.writeHead(302, { location: `http://${elsewhere.host}/token` }).end();
      return bearerRegistry(() => `http://${self}/token`)(req, res, self);
    });
    const error = await failureOf(client().resolve(`${registry.host}/org/app:v1`));
    expect(error.code).toBe('IMAGE.REDIRECT_REFUSED');
    expect(error.message).toContain(`token endpoint http://${registry.host}/token answered HTTP 302`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('stops reading a token endpoint that streams 1 MiB at the 64 KiB cap, and closes its connection', async () => {
    let finished = false;
    const registry = await serve(async (req, res, self) => {
      if (!req.url?.startsWith('/token')) return bearerRegistry(() => `http://${self}/token?secret=x`)(req, res, self);
      await stream(res, MiB);
      finished = !res.destroyed;
    });
    const error = await failureOf(client().resolve(`${registry.host}/org/app:v1`));
    expect(error.code).toBe('IMAGE.RESPONSE_TOO_LARGE');
    expect(error.message).toBe(`image '${registry.host}/org/app:v1' could not be resolved: http://${registry.host}/token answered more than 65536 bytes (the cap for this response)`);
    await until('the token connection to close', () => registry.closedEarly.length > 0);
    expect(registry.closedEarly[0]).toMatch(/^\/token\?/);
    expect(finished).toBe(false);
  });

  it.each([
    ['streamed without a length', false],
    ['with a declared Content-Length', true],
  ])('fails a 5 MiB manifest %s at the 4 MiB cap', async (_how, declared) => {
    const registry = await serve(async (req, res) => {
      // No Docker-Content-Digest on HEAD: the client must GET the manifest and hash it.
      if (req.method === 'HEAD') return void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end();
      await stream(res, 5 * MiB, declared ? { 'content-length': String(5 * MiB) } : {});
    });
    const error = await failureOf(client().resolve(`${registry.host}/org/app:v1`));
    expect(error.code).toBe('IMAGE.RESPONSE_TOO_LARGE');
    expect(error.message).toContain(`http://${registry.host}/v2/org/app/manifests/v1 answered more than ${4 * MiB} bytes`);
    expect(error.details).toMatchObject({ maxBytes: 4 * MiB });
  });

  it('refuses a loopback registry in production unless it is listed, before any request', async () => {
    const registry = await serve(bearerRegistry((self) => `http://${self}/token`));
    const error = await failureOf(client({ allowLoopback: false }).resolve(`${registry.host}/org/app:v1`));
    expect(error.code).toBe('IMAGE.ADDRESS_REFUSED');
    expect(error.message).toContain(`registry ${registry.host} not contacted`);
    expect(registry.requests).toEqual([]);
  });

  it('sends a registry\'s credentials to it, never to its mirror, which needs its own entry (L8)', async () => {
    const user = { username: 'hub-user', password: 'hub-pass' };
    const basic = `Basic ${Buffer.from('mirror-user:mirror-pass').toString('base64')}`;
    const mirror = await serve((req, res) => {
      if (req.headers.authorization !== basic) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="mirror"' }).end();
      res.writeHead(200, { 'docker-content-digest': MANIFEST_DIGEST }).end();
    });
    const sut = client({ mirrors: { 'docker.io': mirror.host } });
    const error = await failureOf(sut.resolve('docker.io/org/app:v1', { credentials: { 'docker.io': user } }));
    expect(error.code).toBe('IMAGE.UNAUTHORIZED');
    expect(mirror.requests.every((r) => r.authorization === undefined)).toBe(true);
    const own = { 'docker.io': user, [mirror.host]: { username: 'mirror-user', password: 'mirror-pass' } };
    await expect(sut.resolve('docker.io/org/app:v1', { credentials: own })).resolves.toMatchObject({ digest: MANIFEST_DIGEST });
  });
});
