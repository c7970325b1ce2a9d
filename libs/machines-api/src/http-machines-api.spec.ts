import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpMachinesApi, IDEMPOTENCY_METADATA_KEY } from './http-machines-api';
import { MachinesApiError, MachinesApiErrorCodes } from './machines-api.error';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** ms since the epoch when the request arrived. */
  at: number;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang-up';

/** A scripted HTTP server: each request takes the next reply of the route (the last one repeats). */
class ScriptedServer {
  readonly seen: Seen[] = [];
  private readonly routes = new Map<string, Reply[]>();
  private server?: Server;

  on(method: string, pathPrefix: string, ...replies: Reply[]): this {
    this.routes.set(`${method} ${pathPrefix}`, replies);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  count(method: string, pathPrefix: string): number {
    return this.seen.filter((s) => s.method === method && s.url.startsWith(pathPrefix)).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    this.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined, at: Date.now() });
    const key = [...this.routes.keys()].find((k) => `${req.method} ${req.url}`.startsWith(k));
    const replies = key ? this.routes.get(key)! : [{ status: 404, body: { error: 'no route' } }];
    const reply = replies.length > 1 ? replies.shift()! : replies[0];
    if (reply === 'hang-up') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }
}

const machine = (id: string, metadata: Record<string, string> = {}) => ({
  id,
  name: id,
  state: 'started',
  region: 'local',
  instance_id: 'i1',
  config: { image: 'nginx', metadata },
  created_at: '',
  updated_at: '',
});

describe(HttpMachinesApi.name, () => {
  let server: ScriptedServer;
  let sut: HttpMachinesApi;

  beforeEach(async () => {
    server = new ScriptedServer();
    const baseUrl = await server.start();
    sut = new HttpMachinesApi({ baseUrl, token: 'secret', retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
  });

  afterEach(() => server.stop());

  it('retries an idempotent GET on 5xx and sends the bearer token', async () => {
    server.on('GET', '/v1/apps/a/machines/m1', { status: 503, body: { error: 'busy' } }, { status: 200, body: machine('m1') });

    const got = await sut.get('a', 'm1');

    expect(got.id).toBe('m1');
    expect(server.count('GET', '/v1/apps/a/machines/m1')).toBe(2);
    expect(server.seen[0].headers.authorization).toBe('Bearer secret');
  });

  it('gives up after the configured attempts with the status and the API error text', async () => {
    server.on('GET', '/v1/apps/a/machines', { status: 502, body: { error: 'bad gateway upstream' } });

    const error = await sut.list('a').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MachinesApiError);
    expect(error).toMatchObject({ code: MachinesApiErrorCodes.API_ERROR, status: 502 });
    expect((error as Error).message).toBe('GET /v1/apps/a/machines failed: 502 bad gateway upstream');
    expect(server.count('GET', '/v1/apps/a/machines')).toBe(4);
  });

  it('retries transport errors of idempotent calls and reports status 0 when they persist', async () => {
    server.on('GET', '/v1/apps/a/volumes', 'hang-up');

    const error = await sut.listVolumes('a').catch((e: unknown) => e);

    expect(error).toMatchObject({ code: MachinesApiErrorCodes.API_ERROR, status: 0 });
    expect(server.count('GET', '/v1/apps/a/volumes')).toBe(4);
  });

  it('does not retry a create without an idempotency key', async () => {
    server.on('POST', '/v1/apps/a/machines', { status: 500, body: { error: 'boom' } });

    await expect(sut.create('a', { config: { image: 'nginx' } })).rejects.toMatchObject({ status: 500 });
    expect(server.count('POST', '/v1/apps/a/machines')).toBe(1);
  });

  it('sends the idempotency key as metadata only, and adopts the machine a lost create made', async () => {
    server
      .on('POST', '/v1/apps/a/machines', { status: 504, body: { error: 'gateway timeout' } })
      .on('GET', '/v1/apps/a/machines', { status: 200, body: [machine('other'), machine('made', { [IDEMPOTENCY_METADATA_KEY]: 'k1' })] });

    const created = await sut.create('a', { config: { image: 'nginx', metadata: { keep: 'me' } } }, 'k1');

    expect(created.id).toBe('made');
    const post = server.seen.find((s) => s.method === 'POST')!;
    expect(post.headers['idempotency-key']).toBeUndefined();
    expect(post.body).toMatchObject({ config: { metadata: { keep: 'me', [IDEMPOTENCY_METADATA_KEY]: 'k1' } } });
    expect(server.count('POST', '/v1/apps/a/machines')).toBe(1);
  });

  it('adopts after a connection reset, never posting the create twice', async () => {
    server
      .on('POST', '/v1/apps/a/machines', 'hang-up', { status: 200, body: machine('second') })
      .on('GET', '/v1/apps/a/machines', { status: 200, body: [machine('made', { [IDEMPOTENCY_METADATA_KEY]: 'k3' })] });

    expect((await sut.create('a', { config: { image: 'nginx' } }, 'k3')).id).toBe('made');
    expect(server.count('POST', '/v1/apps/a/machines')).toBe(1);
  });

  it('looks for the machine before the first post when an earlier run may have sent the create', async () => {
    server
      .on('POST', '/v1/apps/a/machines', { status: 200, body: machine('duplicate') })
      .on('GET', '/v1/apps/a/machines', { status: 200, body: [machine('made', { [IDEMPOTENCY_METADATA_KEY]: 'k4' })] });

    expect((await sut.create('a', { config: { image: 'nginx' } }, 'k4', { resumed: true })).id).toBe('made');
    expect(server.count('POST', '/v1/apps/a/machines')).toBe(0);
  });

  it('does not adopt a destroyed machine that carried the key, and creates', async () => {
    server
      .on('POST', '/v1/apps/a/machines', { status: 200, body: machine('fresh') })
      .on('GET', '/v1/apps/a/machines', { status: 200, body: [{ ...machine('old', { [IDEMPOTENCY_METADATA_KEY]: 'k5' }), state: 'destroyed' }] });

    expect((await sut.create('a', { config: { image: 'nginx' } }, 'k5', { resumed: true })).id).toBe('fresh');
  });

  it('re-posts a keyed create when the listing does not show it', async () => {
    server
      .on('POST', '/v1/apps/a/machines', { status: 500, body: { error: 'x' } }, { status: 200, body: machine('m2') })
      .on('GET', '/v1/apps/a/machines', { status: 200, body: [] });

    expect((await sut.create('a', { config: { image: 'nginx' } }, 'k2')).id).toBe('m2');
    expect(server.count('POST', '/v1/apps/a/machines')).toBe(2);
  });

  it('retries an update on 503 but not on 500, with the lease nonce header', async () => {
    server.on('POST', '/v1/apps/a/machines/m1', { status: 503 }, { status: 200, body: machine('m1') });
    await sut.update('a', 'm1', { config: { image: 'nginx' } }, 'n1');
    expect(server.count('POST', '/v1/apps/a/machines/m1')).toBe(2);
    expect(server.seen[0].headers['fly-machine-lease-nonce']).toBe('n1');

    server.on('POST', '/v1/apps/a/machines/m3', { status: 500, body: { error: 'no' } });
    await expect(sut.update('a', 'm3', { config: { image: 'nginx' } })).rejects.toMatchObject({ status: 500 });
    expect(server.count('POST', '/v1/apps/a/machines/m3')).toBe(1);
  });

  it('maps 404 to MACHINE.NOT_FOUND and a lease 409 to MACHINE.LEASE_HELD', async () => {
    server
      .on('GET', '/v1/apps/a/machines/gone', { status: 404, body: { error: 'machine not found' } })
      .on('POST', '/v1/apps/a/machines/m1/lease', { status: 409, body: { error: 'lease currently held by someone' } });

    await expect(sut.get('a', 'gone')).rejects.toMatchObject({ code: MachinesApiErrorCodes.NOT_FOUND, status: 404 });
    await expect(sut.acquireLease('a', 'm1', 10)).rejects.toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD, status: 409 });
    expect(server.count('POST', '/v1/apps/a/machines/m1/lease')).toBe(1);
  });

  it('treats a 404 on a retried destroy as done, but not on the first try', async () => {
    server.on('DELETE', '/v1/apps/a/machines/m1', { status: 503 }, { status: 404, body: { error: 'machine not found' } });
    await sut.destroy('a', 'm1', { nonce: 'n' });
    expect(server.seen.map((s) => s.url)).toEqual(['/v1/apps/a/machines/m1?kill=true', '/v1/apps/a/machines/m1?kill=true']);

    server.on('DELETE', '/v1/apps/a/machines/m2', { status: 404, body: { error: 'machine not found' } });
    await expect(sut.destroy('a', 'm2')).rejects.toMatchObject({ code: MachinesApiErrorCodes.NOT_FOUND });
  });

  it('destroys a volume, counting a 404 on a retry as done, but not on the first try', async () => {
    server.on('DELETE', '/v1/apps/a/volumes/vol_1', { status: 503 }, { status: 404, body: { error: 'volume not found' } });
    await sut.destroyVolume('a', 'vol_1');
    expect(server.count('DELETE', '/v1/apps/a/volumes/vol_1')).toBe(2);

    server.on('DELETE', '/v1/apps/a/volumes/vol_2', { status: 404, body: { error: 'volume not found' } });
    await expect(sut.destroyVolume('a', 'vol_2')).rejects.toMatchObject({ code: MachinesApiErrorCodes.NOT_FOUND });
  });

  it('keeps waiting across 408 answers and resolves on 200', async () => {
    server.on('GET', '/v1/apps/a/machines/m1/wait', { status: 408, body: { error: 'deadline_exceeded' } }, { status: 200, body: { ok: true } });

    await sut.wait('a', 'm1', { state: 'started', instanceId: 'i9', timeoutSec: 300 });

    const calls = server.seen.filter((s) => s.url.includes('/wait'));
    expect(calls).toHaveLength(2);
    expect(calls[0].url).toBe('/v1/apps/a/machines/m1/wait?state=started&timeout=60&instance_id=i9');
  });

  it('counts a 404 as reached only when waiting for destroyed', async () => {
    server.on('GET', '/v1/apps/a/machines/m1/wait', { status: 404, body: { error: 'machine not found' } });

    await sut.wait('a', 'm1', { state: 'destroyed', timeoutSec: 5 });
    await expect(sut.wait('a', 'm1', { state: 'started', timeoutSec: 5 })).rejects.toMatchObject({ code: MachinesApiErrorCodes.NOT_FOUND });
  });

  it('throws MACHINE.WAIT_TIMEOUT when its own deadline passes', async () => {
    server.on('GET', '/v1/apps/a/machines/m1/wait', { status: 408, body: { error: 'deadline_exceeded' } });

    const startedAt = Date.now();
    await expect(sut.wait('a', 'm1', { state: 'started', timeoutSec: 1 })).rejects.toMatchObject({ code: MachinesApiErrorCodes.WAIT_TIMEOUT });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
  });

  it('creates an app in the org it is given, naming it as the spec (app_name) and fly-go (name) do', async () => {
    server.on('POST', '/v1/apps?wait=true', { status: 201, body: { id: 'a', name: 'a', organization: { slug: 'acme' }, status: 'pending' } });
    await expect(sut.createApp('a', 'acme')).resolves.toEqual({ app: { name: 'a', organization: { slug: 'acme' }, status: 'pending' }, created: true });
    expect(server.seen[0].body).toEqual({ app_name: 'a', name: 'a', org_slug: 'acme' });
  });

  it.each([
    [409, 'app already exists'],
    [422, 'Name has already been taken'],
  ])('treats a %i "%s" as an existing app, read back to learn its org', async (status, error) => {
    server
      .on('POST', '/v1/apps?wait=true', { status, body: { error } })
      .on('GET', '/v1/apps/a', { status: 200, body: { id: 'a', name: 'a', organization: { slug: 'personal' }, status: 'deployed' } });
    await expect(sut.createApp('a', 'acme')).resolves.toEqual({ app: { name: 'a', organization: { slug: 'personal' }, status: 'deployed' }, created: false });
  });

  it('fails an app name held by an app this token cannot read', async () => {
    server.on('POST', '/v1/apps?wait=true', { status: 422, body: { error: 'Name has already been taken' } }).on('GET', '/v1/apps/a', { status: 404, body: { error: 'app not found' } });
    await expect(sut.createApp('a', 'acme')).rejects.toMatchObject({ code: MachinesApiErrorCodes.NOT_FOUND });
  });

  it('speaks fly-go\'s IP assignments API', async () => {
    const assigned = { ip: '2a09:8280:1::1', region: 'global', service_name: '', shared: false, created_at: '2026-01-01T00:00:00Z' };
    server
      .on('POST', '/v1/apps/a/ip_assignments', { status: 200, body: assigned })
      .on('GET', '/v1/apps/a/ip_assignments', { status: 200, body: { ips: [assigned] } })
      .on('DELETE', '/v1/apps/a/ip_assignments/2a09:8280:1::1', { status: 200, body: {} });
    await expect(sut.assignIp('a', { type: 'v6' })).resolves.toEqual(assigned);
    await expect(sut.listIpAssignments('a')).resolves.toEqual([assigned]);
    await sut.deleteIpAssignment('a', '2a09:8280:1::1');
    expect(server.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/v1/apps/a/ip_assignments', { type: 'v6' }],
      ['GET', '/v1/apps/a/ip_assignments', undefined],
      ['DELETE', '/v1/apps/a/ip_assignments/2a09:8280:1::1', undefined],
    ]);
  });

  it('throws LEASE_HELD when a refresh comes back with another nonce, releasing that lease', async () => {
    server
      .on('POST', '/v1/apps/a/machines/m1/lease', { status: 200, body: { status: 'success', data: { nonce: 'new', expires_at: 1, owner: 'o' } } })
      .on('DELETE', '/v1/apps/a/machines/m1/lease', { status: 200, body: { status: 'success' } });

    await expect(sut.refreshLease('a', 'm1', 'old', 10)).rejects.toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });
    expect(server.seen.find((s) => s.method === 'DELETE')?.headers['fly-machine-lease-nonce']).toBe('new');
  });

  it('sends stop options as the StopRequest body and restart options as the query, with the lease nonce', async () => {
    server
      .on('POST', '/v1/apps/a/machines/m1/stop', { status: 200, body: { ok: true } })
      .on('POST', '/v1/apps/a/machines/m1/restart', { status: 503 }, { status: 200, body: { ok: true } })
      .on('POST', '/v1/apps/a/machines/m1/start', { status: 200, body: { previous_state: 'stopped' } });

    await sut.stop('a', 'm1', 'n1', { signal: 'SIGTERM', timeout: '30s' });
    await sut.stop('a', 'm1');
    await sut.restart('a', 'm1', 'n2', { signal: 'SIGUSR1', timeout: '1m30s' });
    await sut.start('a', 'm1', 'n3');

    expect(server.seen.map((s) => [s.url, s.body, s.headers['fly-machine-lease-nonce']])).toEqual([
      ['/v1/apps/a/machines/m1/stop', { signal: 'SIGTERM', timeout: '30s' }, 'n1'],
      ['/v1/apps/a/machines/m1/stop', {}, undefined],
      ['/v1/apps/a/machines/m1/restart?signal=SIGUSR1&timeout=1m30s', undefined, 'n2'],
      ['/v1/apps/a/machines/m1/restart?signal=SIGUSR1&timeout=1m30s', undefined, 'n2'],
      ['/v1/apps/a/machines/m1/start', undefined, 'n3'],
    ]);
  });
});

describe(`${HttpMachinesApi.name} against Fly's wire behaviour`, () => {
  let server: ScriptedServer;
  let baseUrl: string;
  let sut: HttpMachinesApi;

  beforeEach(async () => {
    server = new ScriptedServer();
    baseUrl = await server.start();
    sut = new HttpMachinesApi({ baseUrl, token: 'secret', retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, rateLimitBudgetMs: 5_000 });
  });

  afterEach(() => server.stop());

  it.each([
    ['fleet-or-personal-token', 'Bearer fleet-or-personal-token'],
    ['Bearer fo1_oauth', 'Bearer fo1_oauth'],
    ['fm2_abc,fm2_disch', 'FlyV1 fm2_abc,fm2_disch'],
    ['FlyV1 fm2_abc,fm2_disch', 'FlyV1 fm2_abc,fm2_disch'],
    ['FlyV1 fm1r_x', 'FlyV1 fm1r_x'],
    ['fm1a_y, fo1_user', 'FlyV1 fm1a_y'],
  ])('sends token %j as %j (fly-go Tokens.FlapsHeader)', async (token, header) => {
    server.on('GET', '/v1/apps/a/machines', { status: 200, body: [] });
    await new HttpMachinesApi({ baseUrl, token }).list('a');
    expect(server.seen[0].headers.authorization).toBe(header);
  });

  it('waits out Retry-After on a 429 without spending the call attempts', async () => {
    server.on(
      'POST',
      '/v1/apps/a/machines/m1/stop',
      { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '1' } },
      { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '0' } },
      { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '0' } },
      { status: 200, body: { ok: true } },
    );

    const startedAt = Date.now();
    await sut.stop('a', 'm1');

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect(server.count('POST', '/v1/apps/a/machines/m1/stop')).toBe(4);
  });

  it('holds back the same machine and action for other callers, but not other machines', async () => {
    server
      .on('GET', '/v1/apps/a/machines/m1', { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '1' } }, { status: 200, body: machine('m1') })
      .on('GET', '/v1/apps/a/machines/m2', { status: 200, body: machine('m2') });

    const first = sut.get('a', 'm1');
    await until(() => server.count('GET', '/v1/apps/a/machines/m1') === 1);
    const otherStartedAt = Date.now();
    await sut.get('a', 'm2');
    expect(Date.now() - otherStartedAt).toBeLessThan(500);
    const second = sut.get('a', 'm1');
    await Promise.all([first, second]);

    const m1Times = server.seen.filter((s) => s.url === '/v1/apps/a/machines/m1').map((s) => s.at);
    expect(m1Times).toHaveLength(3);
    expect(m1Times[1] - m1Times[0]).toBeGreaterThanOrEqual(900);
    expect(m1Times[2] - m1Times[0]).toBeGreaterThanOrEqual(900);
  });

  it('gives up with the 429 once the rate-limit budget is spent', async () => {
    const quick = new HttpMachinesApi({ baseUrl, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, rateLimitBudgetMs: 300 });
    server.on('POST', '/v1/apps/a/machines/m1', { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '1' } });

    await expect(quick.update('a', 'm1', { config: { image: 'x' } }, 'n')).rejects.toMatchObject({ status: 429 });
    expect(server.count('POST', '/v1/apps/a/machines/m1')).toBe(1);
  });

  it('never asks the server to hold a wait longer than 60 s, and loops to the caller timeout', async () => {
    server.on('GET', '/v1/apps/a/machines/m1/wait', { status: 408, body: { error: 'deadline_exceeded' } }, { status: 408, body: { error: 'deadline_exceeded' } }, { status: 200, body: { ok: true } });

    await sut.wait('a', 'm1', { state: 'stopped', timeoutSec: 3600 });

    const urls = server.seen.map((s) => new URL(s.url, 'http://x'));
    expect(urls).toHaveLength(3);
    for (const u of urls) expect(Number(u.searchParams.get('timeout'))).toBe(60);
  });

  it('reads the lease from fly-go’s { status, data } answer and refuses one without data.nonce', async () => {
    server.on(
      'POST',
      '/v1/apps/a/machines/m1/lease',
      { status: 200, body: { status: 'success', data: { nonce: 'n1', expires_at: 1700000000, owner: 'me@example.com', version: 'v1' } } },
      { status: 200, body: { nonce: 'flat', expires_at: 1 } },
    );

    expect(await sut.acquireLease('a', 'm1', 13, 'hangar release r1')).toEqual({
      nonce: 'n1',
      expires_at: 1700000000,
      owner: 'me@example.com',
      version: 'v1',
      description: 'hangar release r1',
    });
    expect(server.seen[0].url).toBe('/v1/apps/a/machines/m1/lease?ttl=13');
    await expect(sut.acquireLease('a', 'm1', 13)).rejects.toThrow(/without data\.nonce/);
  });

  it('reads a machine on an unreachable host without config: partial config stands in, marked incomplete', async () => {
    const partial = { id: 'm9', name: 'm9', state: 'started', region: 'ams', instance_id: 'i', host_status: 'unreachable', incomplete_config: { image: 'nginx:1', metadata: { fly_platform_version: 'v2' } }, created_at: '', updated_at: '' };
    const bare = { ...partial, id: 'm8', incomplete_config: undefined, image_ref: { registry: 'docker.io', repository: 'library/nginx', tag: '1', digest: '' } };
    server.on('GET', '/v1/apps/a/machines', { status: 200, body: [partial, bare] });

    const [m9, m8] = await sut.list('a');

    expect(m9).toMatchObject({ host_status: 'unreachable', config: { image: 'nginx:1', metadata: { fly_platform_version: 'v2' } }, incomplete_config: { image: 'nginx:1' } });
    expect(m8.config).toEqual({ image: 'docker.io/library/nginx:1' });
    expect(m8.incomplete_config).toBeDefined();
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
