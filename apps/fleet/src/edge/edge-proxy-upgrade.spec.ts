import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { EdgeProxy } from './edge-proxy';
import { MemoryTargetSource, TestUpstream, until } from './edge-upstream.fixture';

/** Opens `Upgrade: echo` to `path` through the edge: the switched socket, or the refusal as status and body. */
function openUpgrade(url: string, host: string, path = '/ws'): Promise<{ socket: Duplex; machine: string } | { status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers: { host, connection: 'Upgrade', upgrade: 'echo' } });
    req.once('upgrade', (res, socket) => resolve({ socket, machine: String(res.headers['x-machine']) }));
    req.once('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.once('error', reject);
    req.end();
  });
}

function nextChunk(socket: Duplex): Promise<string> {
  return new Promise((resolve) => socket.once('data', (c: Buffer) => resolve(c.toString())));
}

describe(`${EdgeProxy.name} upgrades (WebSockets)`, () => {
  let source: MemoryTargetSource;
  let sut: EdgeProxy;
  let url: string;
  const upstreams: TestUpstream[] = [];
  const sockets: Duplex[] = [];

  async function upstream(name: string): Promise<TestUpstream> {
    const started = await TestUpstream.start(name);
    upstreams.push(started);
    return started;
  }

  async function open(host = 'chat.localhost', path = '/ws') {
    const opened = await openUpgrade(url, host, path);
    if ('socket' in opened) sockets.push(opened.socket);
    return opened;
  }

  beforeEach(async () => {
    source = new MemoryTargetSource();
    sut = new EdgeProxy(source, { host: '127.0.0.1', port: 0, refreshMs: 50, drainTimeoutMs: 2000 });
    ({ url } = await sut.start());
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await sut.close();
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  it('joins an upgraded connection to a machine both ways, with the forwarded headers', async () => {
    const m = await upstream('m1');
    source.set('chat', [m.target()]);
    const opened = await open();
    if (!('socket' in opened)) throw new Error(`not upgraded: ${JSON.stringify(opened)}`);
    expect(opened.machine).toBe('m1');
    const reply = nextChunk(opened.socket);
    opened.socket.write('hello');
    expect(await reply).toBe('m1: hello');
    expect(m.seen[0]?.headers).toMatchObject({ upgrade: 'echo', connection: 'Upgrade', 'x-forwarded-host': 'chat.localhost' });
    expect(sut.stats()).toMatchObject({ upgraded: 1, tunnels: { m1: 1 } });
  });

  it("passes a machine's refusal on, and answers 404 / 503 for no app / no machine as for requests", async () => {
    const m = await upstream('m1');
    source.set('chat', [m.target()]);
    expect(await open('chat.localhost', '/private')).toMatchObject({ status: 403, body: 'forbidden' });
    expect(await open('nothing.example')).toMatchObject({ status: 404, body: expect.stringContaining('expected <app>.localhost') });
    source.set('empty', []);
    expect(await open('empty.localhost')).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
  });

  it('tries another machine when the first cannot be reached', async () => {
    const live = await upstream('live');
    source.set('chat', [{ machineId: 'dead', address: '127.0.0.1:1' }, live.target()]);
    for (let i = 0; i < 3; i += 1) {
      const opened = await open();
      expect(opened).toMatchObject({ machine: 'live' });
    }
  });

  it('sends no new upgrade to a draining machine and closes its tunnels once it has drained', async () => {
    const [m1, m2] = [await upstream('m1'), await upstream('m2')];
    source.set('chat', [m1.target(), m2.target()]);
    const first = await open();
    if (!('socket' in first)) throw new Error('not upgraded');
    expect(first.machine).toBe('m1'); // the first of equals
    first.socket.resume();
    const closed = new Promise<void>((resolve) => first.socket.once('close', () => resolve()));
    await sut.drain('m1');
    await closed;
    await until('m1 to see its tunnel closed', () => m1.tunnels === 0);
    expect(sut.stats().tunnels['m1']).toBeUndefined();
    for (let i = 0; i < 3; i += 1) expect(await open()).toMatchObject({ machine: 'm2' });
  });

  it('forgets a destroyed machine with its tunnels', async () => {
    const m = await upstream('m1');
    source.set('chat', [m.target()]);
    const opened = await open();
    if (!('socket' in opened)) throw new Error('not upgraded');
    opened.socket.resume();
    const closed = new Promise<void>((resolve) => opened.socket.once('close', () => resolve()));
    sut.forget('m1');
    await closed;
    expect(sut.stats().tunnels).toEqual({});
  });
});
