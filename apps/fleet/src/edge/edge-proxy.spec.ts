import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { EdgeProxy } from './edge-proxy';
import { edgeRequest, MemoryTargetSource, TestUpstream, until } from './edge-upstream.fixture';

/** A port nothing listens on: a machine whose container is gone. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(EdgeProxy.name, () => {
  let source: MemoryTargetSource;
  let sut: EdgeProxy;
  let url: string;
  const upstreams: TestUpstream[] = [];

  async function upstream(name: string, options?: Parameters<typeof TestUpstream.start>[1]): Promise<TestUpstream> {
    const started = await TestUpstream.start(name, options);
    upstreams.push(started);
    return started;
  }

  beforeEach(async () => {
    source = new MemoryTargetSource();
    sut = new EdgeProxy(source, { host: '127.0.0.1', port: 0, refreshMs: 50, replayableBodyBytes: 1024, responseTimeoutMs: 2000 });
    ({ url } = await sut.start());
  });

  afterEach(async () => {
    await sut.close();
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  describe('routing', () => {
    it('sends <app>.localhost, with or without a port and in any case, to that app and forwards what the machine needs', async () => {
      const a = await upstream('a');
      const b = await upstream('b');
      source.set('shop', [a.target()]);
      source.set('blog-2', [b.target()]);

      const shop = await edgeRequest(url, 'shop.localhost', { path: '/cart?x=1', headers: { 'x-forwarded-for': '203.0.113.9', connection: 'x-secret', 'x-secret': 'hop' } });
      const blog = await edgeRequest(url, 'Blog-2.LOCALHOST:4290', { method: 'POST', body: 'hello' });

      expect([shop.status, shop.body]).toEqual([200, 'a /cart?x=1']);
      expect([blog.status, blog.body]).toEqual([200, 'b /']);
      const seen = a.seen[0]!;
      expect(seen.headers).toMatchObject({ host: 'shop.localhost', 'x-forwarded-for': '203.0.113.9, 127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.localhost' });
      expect(seen.headers['x-secret']).toBeUndefined();
      expect(seen.headers['x-request-id']).toMatch(/^[a-z0-9]+-[0-9a-f]{16}$/);
      expect(shop.headers['x-request-id']).toBe(seen.headers['x-request-id']);
      expect(b.seen[0]).toMatchObject({ method: 'POST', body: 'hello' });
    });

    it('answers 404 naming what it expected for a host that is not <app>.localhost', async () => {
      source.set('shop', [(await upstream('a')).target()]);

      for (const host of ['example.com', 'localhost', 'shop.localhost.evil.com', 'Bad_Name.localhost']) {
        const res = await edgeRequest(url, host);
        expect([res.status, res.body]).toEqual([404, `edge: no app for host "${host}"; expected <app>.localhost\n`]);
      }
      expect(sut.stats().notFound).toBe(4);
    });

    it('answers 503 with Retry-After for an app without a machine ready', async () => {
      source.set('empty', []);

      const res = await edgeRequest(url, 'empty.localhost');
      const unknown = await edgeRequest(url, 'nobody.localhost');

      expect([res.status, res.headers['retry-after'], res.body]).toEqual([503, '1', 'edge: app empty has no machine ready for requests\n']);
      expect(unknown.status).toBe(503);
      expect(sut.stats().unavailable).toBe(2);
    });

    it('stops sending to a machine that left the source within the refresh period', async () => {
      const a = await upstream('a');
      const b = await upstream('b');
      source.set('shop', [a.target(), b.target()]);
      await edgeRequest(url, 'shop.localhost');

      source.set('shop', [b.target()]);
      const before = source.calls;
      await until('the edge to ask the source again', async () => (await edgeRequest(url, 'shop.localhost')) && source.calls > before);
      const seenByA = a.seen.length;
      for (let i = 0; i < 6; i += 1) expect((await edgeRequest(url, 'shop.localhost')).body).toBe('b /');
      expect(a.seen.length).toBe(seenByA);
    });
  });

  describe('balancing', () => {
    it('sends each request to the machine with the fewest in flight, so held requests spread evenly and new ones avoid the busy machine', async () => {
      const machines = [await upstream('m1'), await upstream('m2'), await upstream('m3')];
      source.set('shop', machines.map((m) => m.target()));

      const held = Array.from({ length: 9 }, (_, i) => edgeRequest(url, 'shop.localhost', { path: `/hold/${i}` }));
      await until('9 requests in flight', () => machines.every((m) => m.inFlight === 3));
      expect(sut.stats().machines).toMatchObject({ m1: { inFlight: 3 }, m2: { inFlight: 3 }, m3: { inFlight: 3 } });

      machines[1]!.releaseHeld();
      machines[2]!.releaseHeld();
      const more = await Promise.all(Array.from({ length: 4 }, () => edgeRequest(url, 'shop.localhost', { path: '/quick' })));
      expect(more.map((r) => r.body.split(' ')[0]).sort()).toEqual(['m2', 'm2', 'm3', 'm3']);
      expect(machines[0]!.seen.filter((s) => s.url === '/quick')).toHaveLength(0);

      machines[0]!.releaseHeld();
      expect((await Promise.all(held)).every((r) => r.status === 200)).toBe(true);
      expect(Object.values(sut.stats().machines).map((m) => m.inFlight)).toEqual([0, 0, 0]);
    });
  });

  describe('retries', () => {
    it('retries a request once on another machine when one cannot be reached, body included', async () => {
      const live = await upstream('live');
      source.set('shop', [{ machineId: 'dead', address: `127.0.0.1:${await closedPort()}` }, live.target()]);

      const answers = [];
      for (let i = 0; i < 6; i += 1) answers.push(await edgeRequest(url, 'shop.localhost', { method: 'POST', path: `/p${i}`, body: `body-${i}` }));

      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(live.seen.map((s) => s.body)).toEqual(['body-0', 'body-1', 'body-2', 'body-3', 'body-4', 'body-5']);
      const stats = sut.stats();
      expect(stats.retries).toBeGreaterThan(0);
      expect(stats.retries).toBe(stats.machines.dead!.failures);
      expect(stats.failed).toBe(0);
    });

    it('answers 502 when no machine can be reached', async () => {
      source.set('shop', [
        { machineId: 'd1', address: `127.0.0.1:${await closedPort()}` },
        { machineId: 'd2', address: `127.0.0.1:${await closedPort()}` },
      ]);

      const res = await edgeRequest(url, 'shop.localhost');

      expect(res.status).toBe(502);
      expect(res.body).toMatch(/^edge: app shop: machine d[12] could not be reached \(ECONNREFUSED\)\n$/);
      expect(sut.stats()).toMatchObject({ failed: 1, retries: 1, machines: { d1: { failures: 1, inFlight: 0 }, d2: { failures: 1, inFlight: 0 } } });
    });

    it('does not retry a body larger than the replay limit', async () => {
      const live = await upstream('live');
      source.set('shop', [{ machineId: 'dead', address: `127.0.0.1:${await closedPort()}` }, live.target()]);
      const big = 'x'.repeat(4096);

      const statuses: number[] = [];
      while (sut.stats().machines.dead?.failures !== 1 && statuses.length < 10) statuses.push((await edgeRequest(url, 'shop.localhost', { method: 'PUT', body: big })).status);

      expect(statuses.at(-1)).toBe(502);
      expect(sut.stats().retries).toBe(0);
      expect(live.seen.every((s) => s.body === big)).toBe(true);
    });

    it('retries a request sent on a keep-alive socket the machine had already closed', async () => {
      let onSocket = 0;
      const flaky = await upstream('flaky', {
        handler: (req, res) => {
          const socket = req.socket as typeof req.socket & { served?: number };
          socket.served = (socket.served ?? 0) + 1;
          onSocket = socket.served;
          if (socket.served > 1) socket.destroy();
          else res.end('ok');
        },
      });
      source.set('shop', [flaky.target()]);

      const first = await edgeRequest(url, 'shop.localhost');
      const second = await edgeRequest(url, 'shop.localhost');

      expect([first.status, second.status, second.body]).toEqual([200, 200, 'ok']);
      expect(onSocket).toBe(1);
      expect(flaky.seen).toHaveLength(3);
      expect(sut.stats()).toMatchObject({ retries: 1, failed: 0 });
    });

    it('answers 504 when the machine does not answer in time', async () => {
      const short = new EdgeProxy(source, { host: '127.0.0.1', port: 0, responseTimeoutMs: 100 });
      const slow = await upstream('slow');
      source.set('shop', [slow.target()]);
      const started = await short.start();
      try {
        const res = await edgeRequest(started.url, 'shop.localhost', { path: '/hold/1' });
        expect([res.status, res.body]).toEqual([504, 'edge: app shop did not answer within 100 ms\n']);
        expect(short.stats().machines.slow).toMatchObject({ inFlight: 0, failures: 1 });
      } finally {
        await short.close();
      }
    });
  });

  describe('client aborts', () => {
    it('leaves nothing in flight when the client goes away while the machine works', async () => {
      const m = await upstream('m');
      source.set('shop', [m.target()]);
      const { hostname, port } = new URL(url);

      const req = request({ host: hostname, port, path: '/hold/abort', headers: { host: 'shop.localhost' }, agent: false });
      req.on('error', () => undefined);
      req.end();
      await until('the machine to get the request', () => m.inFlight === 1);
      req.destroy();

      await until('the edge and the machine to let go of it', () => sut.stats().machines.m?.inFlight === 0 && m.abandoned === 1);
      expect(sut.stats()).toMatchObject({ aborted: 1, failed: 0 });
    });

    it('leaves nothing in flight when the client goes away mid-upload', async () => {
      const m = await upstream('m');
      source.set('shop', [m.target()]);
      const { hostname, port } = new URL(url);

      const req = request({ host: hostname, port, method: 'POST', headers: { host: 'shop.localhost', 'content-length': '100' }, agent: false });
      req.on('error', () => undefined);
      req.write('only ten b');
      await until('the edge to take the request', () => sut.stats().requests === 1);
      req.destroy();

      await until('the edge to count the abort', () => sut.stats().aborted === 1);
      expect(sut.stats().machines.m?.inFlight ?? 0).toBe(0);
      expect(m.seen).toHaveLength(0);
    });
  });

  it('streams a body larger than the replay limit both ways, chunked upload included', async () => {
    const echo = await upstream('echo', { handler: (req, res) => res.end(`${req.headers['transfer-encoding'] ?? 'length'} ${'y'.repeat(512 * 1024)}`) });
    source.set('shop', [echo.target()]);
    const { hostname, port } = new URL(url);
    const upload = Buffer.alloc(256 * 1024, 'z');

    const answer = await new Promise<{ status: number; length: number }>((resolve, reject) => {
      const req = request({ host: hostname, port, method: 'POST', headers: { host: 'shop.localhost', 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        let length = 0;
        res.on('data', (chunk: Buffer) => (length += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, length }));
      });
      req.on('error', reject);
      for (let at = 0; at < upload.length; at += 16 * 1024) req.write(upload.subarray(at, at + 16 * 1024));
      req.end();
    });

    expect(answer).toEqual({ status: 200, length: 'chunked '.length + 512 * 1024 });
    expect(echo.seen[0]?.body).toBe(upload.toString('utf8'));
  });

  it('keeps client connections alive across requests', async () => {
    source.set('shop', [(await upstream('m')).target()]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      agent.on('free', (socket) => sockets.add(socket));
      for (let i = 0; i < 3; i += 1) expect((await edgeRequest(url, 'shop.localhost', { agent })).status).toBe(200);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
