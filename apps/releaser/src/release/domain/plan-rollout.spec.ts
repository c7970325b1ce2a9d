import { maxUnavailableCount, planRollout } from './plan-rollout';
import { IMAGE, RELEASE_ID, appConfig, fold, machine, machineId, queued } from './release-test.fixtures';
import type { ReleaseState } from './release.state';
import type { AppConfig } from '@hangar/app-config';

function release(config: AppConfig = appConfig(), maxUnavailable = 0.33): ReleaseState {
  return fold([queued({ config, maxUnavailable })]);
}

describe(planRollout.name, () => {
  it('orders destroys of removed groups, then creates of new groups, then updates by group and machine id', () => {
    const config = appConfig({ processes: { web: 'bin/web', worker: 'bin/worker', cron: 'bin/cron' } });
    const machines = [
      machine(9, { processGroup: 'worker' }),
      machine(4, { processGroup: 'web' }),
      machine(2, { processGroup: 'web' }),
      machine(7, { processGroup: 'legacy' }),
      machine(5, { processGroup: 'legacy' }),
    ];
    const { entries } = planRollout(release(config), IMAGE, machines);
    expect(entries.map((e) => e.key)).toEqual([
      `${RELEASE_ID}:destroy:${machineId(5)}`,
      `${RELEASE_ID}:destroy:${machineId(7)}`,
      `${RELEASE_ID}:create:cron:1`,
      `${RELEASE_ID}:update:${machineId(2)}`,
      `${RELEASE_ID}:update:${machineId(4)}`,
      `${RELEASE_ID}:update:${machineId(9)}`,
    ]);
  });

  it('skips machines already at this release and records where each machine came from', () => {
    const { entries } = planRollout(release(), IMAGE, [machine(1, { releaseId: RELEASE_ID, releaseVersion: 3 }), machine(2, { state: 'stopped' })]);
    expect(entries).toEqual([
      {
        key: `${RELEASE_ID}:skip:${machineId(1)}`,
        action: 'skip',
        machineId: machineId(1),
        processGroup: 'app',
        region: 'ams',
        wasStarted: true,
        fromReleaseVersion: 3,
        fromInstanceId: 'inst-1',
        guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
      },
      expect.objectContaining({ action: 'update', machineId: machineId(2), wasStarted: false, fromReleaseVersion: 2 }),
    ]);
  });

  it('ignores unmanaged, destroyed, destroying and release-command machines', () => {
    const { entries } = planRollout(release(), IMAGE, [
      machine(1, { managed: false }),
      machine(2, { state: 'destroyed' }),
      machine(3, { state: 'destroying' }),
      machine(4, { processGroup: 'fly_app_release_command' }),
      machine(5, { state: 'starting' }),
    ]);
    expect(entries.map((e) => [e.action, e.machineId, e.wasStarted])).toEqual([['update', machineId(5), true]]);
  });

  it('treats a managed machine without a group as `app` and keeps its mounts', () => {
    const mounts = [{ volume: 'vol_1', path: '/data', name: 'data' }];
    const base = machine(1);
    const config = appConfig({ mounts: [{ source: 'data', destination: '/data' }] });
    const { entries } = planRollout(release(config), IMAGE, [{ ...base, processGroup: undefined, config: { ...base.config, mounts } }]);
    expect(entries[0]).toMatchObject({ action: 'update', processGroup: 'app', mounts });
  });

  it('replaces a machine gaining [mounts] onto an unattached volume of its region, and one losing them onto none', () => {
    const withMounts = appConfig({ mounts: [{ source: 'data', destination: '/data' }] });
    const volumes = [
      { id: 'vol_b', name: 'data', region: 'ams' },
      { id: 'vol_a', name: 'data', region: 'ams', attachedMachineId: 'x' },
      { id: 'vol_c', name: 'data', region: 'iad' },
    ];
    const { entries } = planRollout(release(withMounts), IMAGE, [machine(1), machine(2, { region: 'iad' })], volumes);
    expect(entries.map((e) => [e.action, e.machineId, e.volumeId])).toEqual([
      ['replace', machineId(1), 'vol_b'],
      ['replace', machineId(2), 'vol_c'],
    ]);
    const mounted = machine(3);
    const losing = planRollout(release(), IMAGE, [{ ...mounted, config: { ...mounted.config, mounts: [{ volume: 'vol_b', path: '/data', name: 'data' }] } }]);
    expect(losing.entries.map((e) => [e.action, e.volumeId, e.mounts])).toEqual([['replace', undefined, undefined]]);
  });

  it('changes only the mount path when the destination changes: the volume stays', () => {
    const moved = appConfig({ mounts: [{ source: 'data', destination: '/var/lib/data' }] });
    const base = machine(1);
    const { entries } = planRollout(release(moved), IMAGE, [{ ...base, config: { ...base.config, mounts: [{ volume: 'vol_1', path: '/data', name: 'data' }] } }]);
    expect(entries[0]).toMatchObject({ action: 'update', mounts: [{ volume: 'vol_1', path: '/data', name: 'data' }] });
  });

  describe('first deploy sizing', () => {
    const service = { protocol: 'tcp' as const, internalPort: 8080, ports: [{ port: 80 }], checks: [] };

    it('creates 2 machines for a group with services, 1 with mounts, 1 otherwise', () => {
      const config = appConfig({
        processes: { web: 'a', db: 'b', worker: 'c' },
        services: [{ ...service, processes: ['web', 'db'] }],
        mounts: [{ source: 'data', destination: '/data', processes: ['db'] }],
      });
      const { entries } = planRollout(release(config), IMAGE, []);
      expect(entries.map((e) => e.key)).toEqual([
        `${RELEASE_ID}:create:db:1`,
        `${RELEASE_ID}:create:web:1`,
        `${RELEASE_ID}:create:web:2`,
        `${RELEASE_ID}:create:worker:1`,
      ]);
      expect(entries.every((e) => e.action === 'create' && !e.wasStarted && e.machineId === undefined)).toBe(true);
    });

    it('places new machines in the primary region, else where the app has machines, else names no region so the platform chooses', () => {
      const withPrimary = planRollout(release(appConfig({ primaryRegion: 'iad' })), IMAGE, [machine(1, { managed: false, region: 'ams' })]);
      expect(withPrimary.entries[0]?.region).toBe('iad');
      const fromMachine = planRollout(release(), IMAGE, [machine(2, { managed: false, region: 'syd' })]);
      expect(fromMachine.entries[0]?.region).toBe('syd');
      const nowhere = planRollout(release(), IMAGE, []).entries;
      expect(nowhere.length).toBeGreaterThan(0);
      for (const entry of nowhere) expect(entry).not.toHaveProperty('region');
    });
  });

  it('resolves max_unavailable against started machines of the groups being rolled', () => {
    const machines = Array.from({ length: 10 }, (_, i) => machine(i + 1, { state: i < 9 ? 'started' : 'stopped' }));
    expect(planRollout(release(appConfig(), 0.33), IMAGE, machines).maxUnavailableCount).toBe(3);
    expect(planRollout(release(appConfig(), 4), IMAGE, machines).maxUnavailableCount).toBe(4);
  });
});

describe(maxUnavailableCount.name, () => {
  it.each([
    [1, 10, 1],
    [3.7, 10, 3],
    [0.33, 3, 1],
    [0.33, 10, 4],
    [0.1, 30, 3],
    [0.5, 0, 1],
    [0.99, 1, 1],
  ])('max_unavailable %p with %p started machines → %p', (given, startedCount, expected) => {
    expect(maxUnavailableCount(given, startedCount)).toBe(expected);
  });
});
