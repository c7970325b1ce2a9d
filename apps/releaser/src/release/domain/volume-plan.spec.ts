import { initialSizeGb, withVolumesForNewMachines, type VolumeSnapshot } from './volume-plan';
import { planRollout } from './plan-rollout';
import { releaseDecider } from './release.decider';
import { IMAGE, LATER, RELEASE_ID, appConfig, fold, machine, machineId, queued, started } from './release-test.fixtures';
import type { PlanEntry } from './release.events';

const mounts = [{ source: 'data', destination: '/data', initialSize: '3gb' }];
const create = (n: number, region = 'ams'): PlanEntry => ({ key: `${RELEASE_ID}:create:app:${n}`, action: 'create', processGroup: 'app', region, wasStarted: false });
const vol = (id: string, over: Partial<VolumeSnapshot> = {}): VolumeSnapshot => ({ id, name: 'data', region: 'ams', ...over });

describe(initialSizeGb.name, () => {
  it('reads initial_size in whole GB, rounding up, with flyctl’s 1 GB default', () => {
    expect(initialSizeGb('10gb')).toBe(10);
    expect(initialSizeGb('10GB')).toBe(10);
    expect(initialSizeGb('10')).toBe(10);
    expect(initialSizeGb('500mb')).toBe(1);
    expect(initialSizeGb('1tb')).toBe(1024);
    expect(initialSizeGb(undefined)).toBe(1);
    expect(initialSizeGb('lots')).toBe(1);
  });
});

describe(withVolumesForNewMachines.name, () => {
  const config = appConfig({ mounts });

  it('picks an unattached volume named source in the machine’s region, each once, and plans to create the rest', () => {
    const volumes = [vol('vol_b'), vol('vol_a', { attachedMachineId: 'm1' }), vol('vol_c', { region: 'fra' }), vol('vol_d', { name: 'other' })];
    const entries = withVolumesForNewMachines(config, [create(1), create(2), create(3, 'fra')], volumes);
    expect(entries).toEqual([
      { ...create(1), volumeId: 'vol_b' },
      { ...create(2), createVolume: { name: 'data', region: 'ams', sizeGb: 3 } },
      { ...create(3, 'fra'), volumeId: 'vol_c' },
    ]);
  });

  it('leaves groups without [mounts] and other actions alone', () => {
    const update: PlanEntry = { key: 'k', action: 'update', machineId: machineId(1), processGroup: 'app', region: 'ams', wasStarted: true };
    expect(withVolumesForNewMachines(appConfig(), [create(1)], [vol('vol_a')])).toEqual([create(1)]);
    expect(withVolumesForNewMachines(config, [update], [vol('vol_a')])).toEqual([update]);
  });
});

describe('first deploy with [mounts]', () => {
  const config = appConfig({ mounts, primaryRegion: 'ams' });
  const state = () => fold([queued({ config }), started()]);

  it('plans one machine per mounted group with a volume to create, and the request carries it with the mount', () => {
    const { entries } = planRollout(state(), IMAGE, []);
    expect(entries).toEqual([{ ...create(1), createVolume: { name: 'data', region: 'ams', sizeGb: 3 } }]);
    const events = releaseDecider.decide({ type: 'PlanRollout', image: IMAGE, machines: [], volumes: [], now: LATER }, state());
    const request = events.find((e) => e.type === 'MachineUpdateRequested');
    expect(request?.data).toMatchObject({ kind: 'create', createVolume: { name: 'data', region: 'ams', sizeGb: 3 } });
    expect((request?.data as { config: { mounts: unknown } }).config.mounts).toEqual([{ name: 'data', path: '/data' }]);
  });

  it('mounts a picked unattached volume by id in the request', () => {
    const events = releaseDecider.decide({ type: 'PlanRollout', image: IMAGE, machines: [], volumes: [vol('vol_free')], now: LATER }, state());
    const request = events.find((e) => e.type === 'MachineUpdateRequested');
    expect(request?.data).not.toHaveProperty('createVolume');
    expect((request?.data as { config: { mounts: unknown } }).config.mounts).toEqual([{ name: 'data', path: '/data', volume: 'vol_free' }]);
  });

  it('a second deploy keeps the machine’s volume (an update, nothing to create)', () => {
    const withVolume = machine(1, { config: { image: 'x', metadata: { fly_platform_version: 'v2' }, mounts: [{ name: 'data', path: '/data', volume: 'vol_1' }] } });
    const { entries } = planRollout(state(), IMAGE, [withVolume], [vol('vol_1', { attachedMachineId: machineId(1) })]);
    expect(entries).toEqual([expect.objectContaining({ action: 'update', machineId: machineId(1), mounts: [{ name: 'data', path: '/data', volume: 'vol_1' }] })]);
    expect(entries[0]).not.toHaveProperty('createVolume');
  });
});
