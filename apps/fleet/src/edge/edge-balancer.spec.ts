import { EdgeBalancer } from './edge-balancer';
import type { EdgeTarget } from './edge-target';

const targets: EdgeTarget[] = ['m1', 'm2', 'm3'].map((machineId, i) => ({ machineId, address: `127.0.0.1:${5001 + i}` }));

function balancer(list: () => Promise<EdgeTarget[]> = async () => targets, now = () => 0): EdgeBalancer {
  return new EdgeBalancer({ targets: list }, { refreshMs: 250, maxCachedApps: 2, now });
}

describe(EdgeBalancer.name, () => {
  it('takes the least in-flight machine and turns among equals', () => {
    const sut = balancer();
    const picks = Array.from({ length: 6 }, () => sut.pick(targets)!.machineId);
    expect(picks.slice(0, 3).sort()).toEqual(['m1', 'm2', 'm3']);

    sut.acquire('m1');
    sut.acquire('m2');
    expect(sut.pick(targets)?.machineId).toBe('m3');
    sut.acquire('m3');
    sut.acquire('m3');
    expect(['m1', 'm2']).toContain(sut.pick(targets)?.machineId);
  });

  it('skips drained and excluded machines until undrained', () => {
    const sut = balancer();
    sut.drain('m1');
    sut.drain('m2');
    expect(Array.from({ length: 4 }, () => sut.pick(targets)?.machineId)).toEqual(['m3', 'm3', 'm3', 'm3']);
    expect(sut.pick(targets, new Set(['m3']))).toBeUndefined();
    expect(sut.anyAvailable(targets)).toBe(true);

    sut.undrain('m1');
    expect(sut.pick(targets, new Set(['m3']))?.machineId).toBe('m1');
  });

  it('forgets a destroyed machine: no drain mark, no counters kept (the sets do not grow with every machine ever destroyed)', () => {
    const sut = balancer();
    for (const id of ['m1', 'm2']) {
      sut.acquire(id);
      sut.release(id, false);
      sut.drain(id);
    }
    sut.acquire('m2');
    sut.forget('m1');
    sut.forget('m2');
    expect(sut.drainedMachines()).toEqual([]);
    expect(Object.keys(sut.machineLoads())).toEqual(['m2']);
    sut.release('m2', false);
    sut.forget('m2');
    expect(sut.machineLoads()).toEqual({});
  });

  it('resolves whenIdle once the last request is released, or false at the timeout', async () => {
    const sut = balancer();
    sut.acquire('m1');
    sut.acquire('m1');
    const idle = sut.whenIdle('m1', 10_000);
    sut.release('m1', false);
    sut.release('m1', true);

    await expect(idle).resolves.toBe(true);
    sut.acquire('m2');
    await expect(sut.whenIdle('m2', 10)).resolves.toBe(false);
    expect(sut.machineLoads()).toEqual({ m1: { inFlight: 0, requests: 2, failures: 1 }, m2: { inFlight: 1, requests: 1, failures: 0 } });
  });

  it('asks the source once per refresh period, and again at once after an undrain', async () => {
    let now = 0;
    let calls = 0;
    const sut = balancer(async () => {
      calls += 1;
      return targets;
    }, () => now);

    await Promise.all([sut.targets('shop'), sut.targets('shop'), sut.targets('shop')]);
    now = 249;
    await sut.targets('shop');
    expect(calls).toBe(1);
    now = 250;
    await sut.targets('shop');
    expect(calls).toBe(2);
    sut.undrain('m1');
    await sut.targets('shop');
    expect(calls).toBe(3);
  });

  it('keeps the last list when the source fails, and throws when it never answered', async () => {
    let now = 0;
    let fail = false;
    const sut = balancer(async () => {
      if (fail) throw new Error('database down');
      return targets;
    }, () => now);
    await sut.targets('shop');

    fail = true;
    now = 1000;
    await expect(sut.targets('shop')).resolves.toEqual(targets);
    await expect(sut.targets('blog')).rejects.toThrow('database down');
  });
});
