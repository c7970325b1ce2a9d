import { steadyLoad } from '@hangar/testing';
import { EdgeProxy } from './edge-proxy';
import { edgeRequest, MemoryTargetSource, TestUpstream, until } from './edge-upstream.fixture';

describe(`${EdgeProxy.name} drain`, () => {
  let source: MemoryTargetSource;
  let sut: EdgeProxy;
  let url: string;
  const upstreams: TestUpstream[] = [];

  async function upstream(name: string, port?: number): Promise<TestUpstream> {
    const started = await TestUpstream.start(name, { port });
    upstreams.push(started);
    return started;
  }

  beforeEach(async () => {
    source = new MemoryTargetSource();
    sut = new EdgeProxy(source, { host: '127.0.0.1', port: 0, refreshMs: 50 });
    ({ url } = await sut.start());
  });

  afterEach(async () => {
    await sut.close();
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  it('lets an in-flight request finish, resolves only after it, and sends no new request to the machine meanwhile', async () => {
    const machines = [await upstream('m1'), await upstream('m2'), await upstream('m3')];
    source.set('shop', machines.map((m) => m.target()));
    const slow = edgeRequest(url, 'shop.localhost', { path: '/hold/slow' });
    await until('the slow request to reach a machine', () => machines.some((m) => m.inFlight === 1));
    const busy = machines.find((m) => m.inFlight === 1)!;

    let drained = false;
    const drain = sut.drain(busy.name).then(() => {
      drained = true;
    });
    const during = [];
    for (let i = 0; i < 8; i += 1) during.push(await edgeRequest(url, 'shop.localhost', { path: '/during' }));

    expect(during.every((r) => r.status === 200)).toBe(true);
    expect(busy.seen.filter((s) => s.url === '/during')).toHaveLength(0);
    expect(drained).toBe(false);
    expect(sut.stats().machines[busy.name]?.inFlight).toBe(1);

    busy.releaseHeld();
    expect(await slow).toMatchObject({ status: 200, body: `${busy.name} /hold/slow` });
    await drain;
    expect(sut.stats().machines[busy.name]?.inFlight).toBe(0);
    await until('the edge to close its idle sockets to the drained machine', async () => (await busy.connections()) === 0);
    expect(sut.stats().upstreamSockets[busy.name]).toBe(0);

    sut.undrain(busy.name);
    await until('the undrained machine to take requests again', async () => (await edgeRequest(url, 'shop.localhost', { path: '/after' })).body === `${busy.name} /after`);
  });

  it('resolves after the timeout when an in-flight request does not finish', async () => {
    const m = await upstream('m');
    source.set('shop', [m.target()]);
    const stuck = edgeRequest(url, 'shop.localhost', { path: '/hold/stuck' });
    await until('the request to reach the machine', () => m.inFlight === 1);

    await sut.drain('m', 50);

    expect(sut.stats().machines.m?.inFlight).toBe(1);
    expect((await edgeRequest(url, 'shop.localhost')).status).toBe(503);
    m.releaseHeld();
    expect((await stuck).status).toBe(200);
  });

  it('drains a machine with nothing in flight at once and reconnects to a new container on the same port after undrain', async () => {
    const old = await upstream('v1');
    source.set('shop', [old.target('m')]);
    expect((await edgeRequest(url, 'shop.localhost')).body).toBe('v1 /');
    const port = old.port;

    await sut.drain('m');
    await old.close();
    const restarted = await upstream('v2', port);
    sut.undrain('m');

    expect(await edgeRequest(url, 'shop.localhost')).toMatchObject({ status: 200, body: 'v2 /' });
    expect(sut.stats()).toMatchObject({ failed: 0, retries: 0 });
    expect(restarted.seen).toHaveLength(1);
  });

  it('serves a steady load with zero failures while every machine is drained and replaced in turn (a rolling deploy), without needing a retry', async () => {
    // Retries would hide a machine closed with requests in flight: here drain alone must keep the load whole.
    await sut.close();
    sut = new EdgeProxy(source, { host: '127.0.0.1', port: 0, refreshMs: 50, retries: 0 });
    ({ url } = await sut.start());
    const v1 = [await upstream('v1-a'), await upstream('v1-b'), await upstream('v1-c')];
    const targets = new Map(v1.map((m, i) => [`m${i}`, m.target(`m${i}`)]));
    const publish = (): void => source.set('shop', [...targets.values()]);
    publish();

    const rollout = (async () => {
      await until('the load to be running', () => sut.stats().completed >= 40);
      for (const [i, machineId] of ['m0', 'm1', 'm2'].entries()) {
        await sut.drain(machineId);
        const oldPort = v1[i]!.port;
        await v1[i]!.close();
        if (machineId === 'm2') {
          // Bluegreen-like: a new machine takes the place of the old one.
          const fresh = await upstream('v2-c');
          targets.delete(machineId);
          targets.set('m3', fresh.target('m3'));
        } else {
          // In place, the new container on the old port (m0) or a new one (m1).
          const fresh = await upstream(`v2-${'ab'[i]}`, machineId === 'm0' ? oldPort : undefined);
          targets.set(machineId, fresh.target(machineId));
          publish();
          sut.undrain(machineId);
        }
        publish();
        const served = sut.stats().completed;
        await until('requests to flow after a replacement', () => sut.stats().completed >= served + 40);
      }
    })();

    // 20 ms answers at 200 requests/s: a few requests are in flight whenever a machine is drained.
    const load = await steadyLoad({ url: `${url}/delay/20`, host: 'shop.localhost', rps: 200, keepAliveShare: 0.5, until: rollout });
    await rollout;

    expect({ failed: load.failed, failures: load.failures }).toEqual({ failed: 0, failures: [] });
    expect(load.requests).toBeGreaterThanOrEqual(160);
    expect(sut.stats().retries).toBe(0);
    const after = await Promise.all(Array.from({ length: 6 }, () => edgeRequest(url, 'shop.localhost')));
    expect(new Set(after.map((r) => r.body.slice(0, 2)))).toEqual(new Set(['v2']));
    expect(Object.values(sut.stats().machines).every((m) => m.inFlight === 0)).toBe(true);
  });
});
