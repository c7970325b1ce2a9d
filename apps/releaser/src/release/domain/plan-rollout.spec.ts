import { maxUnavailableCount, planRollout } from './plan-rollout';
import { IMAGE, RELEASE_ID, appConfig, fold, machine, machineId, queued } from './release-test.fixtures';
import type { ReleaseQueued } from './release.events';
import type { ReleaseState } from './release.state';
import type { AppConfig } from '@hangar/app-config';

function release(config: AppConfig = appConfig(), maxUnavailable = 0.33, flags: Partial<ReleaseQueued['data']> = {}): ReleaseState {
  return fold([queued({ config, maxUnavailable, ...flags })]);
}

const service = { protocol: 'tcp' as const, internalPort: 8080, ports: [{ port: 80 }], checks: [] };

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

  it('leaves a machine on an unreachable host out of the plan with a warning, and creates nothing in its place', () => {
    const config = appConfig({ processes: { web: 'bin/web', worker: 'bin/worker' } });
    const machines = [
      machine(1, { processGroup: 'web' }),
      machine(2, { processGroup: 'web', hostStatus: 'unreachable' }),
      machine(3, { processGroup: 'worker', hostStatus: 'unreachable' }),
    ];

    const plan = planRollout(release(config, 1), IMAGE, machines);

    expect(plan.entries.map((e) => e.key)).toEqual([`${RELEASE_ID}:update:${machineId(1)}`]);
    expect(plan.warnings).toEqual([
      `Machine ${machineId(2)} [web] is on an unreachable host (host_status unreachable): skipped; it keeps its current release until its host is back and a later deploy updates it`,
      `Machine ${machineId(3)} [worker] is on an unreachable host (host_status unreachable): skipped; it keeps its current release until its host is back and a later deploy updates it`,
    ]);
    expect(plan.maxUnavailableCount).toBe(1);
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

  describe('deploy filters (flyctl --regions, --exclude-regions, --only-machines, --exclude-machines, --process-groups)', () => {
    const fleet = [machine(1, { region: 'ams' }), machine(2, { region: 'cdg' }), machine(3, { region: 'cdg' }), machine(4, { region: 'iad', processGroup: 'worker' })];
    const twoGroups = appConfig({ processes: { app: 'a', worker: 'w' } });
    const actions = (flags: Partial<ReleaseQueued['data']>, config = twoGroups, machines = fleet) =>
      planRollout(release(config, 0.33, flags), IMAGE, machines).entries.map((e) => `${e.action} ${e.machineId ?? e.processGroup}`);

    it('updates only the machines every given filter lets through and skips the others', () => {
      expect(actions({ onlyMachines: [machineId(2)] })).toEqual([`skip ${machineId(1)}`, `update ${machineId(2)}`, `skip ${machineId(3)}`, `skip ${machineId(4)}`]);
      expect(actions({ excludeMachines: [machineId(2), machineId(4)] })).toEqual([`update ${machineId(1)}`, `skip ${machineId(2)}`, `update ${machineId(3)}`, `skip ${machineId(4)}`]);
      expect(actions({ onlyRegions: ['cdg', 'iad'] })).toEqual([`skip ${machineId(1)}`, `update ${machineId(2)}`, `update ${machineId(3)}`, `update ${machineId(4)}`]);
      expect(actions({ excludeRegions: ['cdg'] })).toEqual([`update ${machineId(1)}`, `skip ${machineId(2)}`, `skip ${machineId(3)}`, `update ${machineId(4)}`]);
      expect(actions({ onlyRegions: ['cdg'], excludeMachines: [machineId(3)], processGroups: ['app'] })).toEqual([
        `skip ${machineId(1)}`,
        `update ${machineId(2)}`,
        `skip ${machineId(3)}`,
        `skip ${machineId(4)}`,
      ]);
    });

    it('records flyctl’s N/M line: the filters given, in flyctl’s names, and how many managed machines pass', () => {
      const plan = planRollout(release(twoGroups, 0.33, { onlyRegions: ['cdg'], excludeMachines: [machineId(3)] }), IMAGE, [...fleet, machine(9, { managed: false, region: 'cdg' })]);
      expect(plan.filters).toEqual({ applied: ['--regions', '--exclude-machines'], selected: 1, total: 4 });
      expect(planRollout(release(twoGroups), IMAGE, fleet).filters).toBeUndefined();
    });

    it('deploys to 0/M machines, as flyctl, when a filter names no machine of the app, and names the unknown ids', () => {
      const plan = planRollout(release(twoGroups, 0.33, { onlyMachines: ['ffffffffffffff'] }), IMAGE, fleet);
      expect(plan.entries.every((e) => e.action === 'skip')).toBe(true);
      expect(plan.filters).toEqual({ applied: ['--only-machines'], selected: 0, total: 4, unknownMachines: ['ffffffffffffff'] });
    });

    it('prints no N/M line when the app has no managed machine yet (flyctl’s filter never ran)', () => {
      expect(planRollout(release(twoGroups, 0.33, { onlyRegions: ['ams'] }), IMAGE, []).filters).toBeUndefined();
    });

    it('never takes a group whose machines are all filtered out for a new one (flyctl would launch machines for it)', () => {
      expect(actions({ onlyRegions: ['ams'] })).toEqual([`update ${machineId(1)}`, `skip ${machineId(2)}`, `skip ${machineId(3)}`, `skip ${machineId(4)}`]);
    });

    it('still creates machines for a group that has none, unless --process-groups leaves it out', () => {
      const threeGroups = appConfig({ processes: { app: 'a', worker: 'w', cron: 'c' } });
      expect(actions({ onlyMachines: [machineId(1)] }, threeGroups)).toContain('create cron');
      expect(actions({ processGroups: ['app'] }, threeGroups)).not.toContain('create cron');
    });

    it('destroys only the machines of removed groups that the filters let through', () => {
      expect(actions({ excludeRegions: ['iad'] }, appConfig())).toEqual([`update ${machineId(1)}`, `update ${machineId(2)}`, `update ${machineId(3)}`]);
      expect(actions({ onlyRegions: ['iad'] }, appConfig())).toEqual([`destroy ${machineId(4)}`, `skip ${machineId(1)}`, `skip ${machineId(2)}`, `skip ${machineId(3)}`]);
    });
  });

  describe('--update-only and --ha', () => {
    const web = appConfig({ processes: { app: 'a', web: 'w' }, services: [{ ...service, processes: ['web'] }] });

    it('--update-only creates no machine for a group that has none, on a first deploy too', () => {
      const { entries } = planRollout(release(web, 0.33, { updateOnly: true }), IMAGE, [machine(1)]);
      expect(entries.map((e) => e.action)).toEqual(['update']);
      expect(planRollout(release(web, 0.33, { updateOnly: true }), IMAGE, []).entries).toEqual([]);
    });

    it('--ha=false gives a new group with services 1 machine instead of 2; --ha=true is the default', () => {
      const creates = (flags: Partial<ReleaseQueued['data']>) => planRollout(release(web, 0.33, flags), IMAGE, [machine(1)]).entries.filter((e) => e.action === 'create').map((e) => e.key);
      expect(creates({ ha: false })).toEqual([`${RELEASE_ID}:create:web:1`]);
      expect(creates({ ha: true })).toEqual([`${RELEASE_ID}:create:web:1`, `${RELEASE_ID}:create:web:2`]);
      expect(creates({})).toEqual(creates({ ha: true }));
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
