import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { IDEMPOTENCY_METADATA_KEY, type Machine, type MachinesApi, type Volume } from '@hangar/machines-api';
import { pickVolume } from './domain/volume-pick';
import { NewMachineVolumes } from './new-machine-volumes';

const vol = (id: string, over: Partial<Volume> = {}): Volume => ({ id, name: 'data', region: 'ams', size_gb: 1, state: 'created', attached_machine_id: null, created_at: '', ...over });

const request: MachineUpdateRequestedData = {
  app: 'vol-app',
  key: 'R1:create:app:1',
  kind: 'create',
  releaseId: 'R1',
  releaseVersion: 1,
  processGroup: 'app',
  region: 'ams',
  config: { image: 'img', mounts: [{ name: 'data', path: '/data' }] },
  skipLaunch: false,
  waitForHealth: true,
  waitTimeoutMs: 5_000,
  createVolume: { name: 'data', region: 'ams', sizeGb: 3 },
};

class VolumesApi implements Partial<MachinesApi> {
  created: { name: string; region?: string; size_gb?: number }[] = [];
  constructor(
    public volumes: Volume[],
    public machines: Machine[] = [],
  ) {}
  async list(): Promise<Machine[]> {
    return this.machines;
  }
  async listVolumes(): Promise<Volume[]> {
    return this.volumes;
  }
  async createVolume(_app: string, input: { name: string; region?: string; size_gb?: number }): Promise<Volume> {
    this.created.push(input);
    // Like fleet, the platform picks the region when none is sent.
    const v = vol(`vol_new${this.created.length}`, { name: input.name, region: input.region ?? 'fra', size_gb: input.size_gb ?? 1 });
    this.volumes.push(v);
    return v;
  }
}

describe(pickVolume.name, () => {
  it('picks an unattached live volume of that name in that region, lowest id first', () => {
    const volumes = [vol('vol_c'), vol('vol_b', { attached_machine_id: 'm1' }), vol('vol_a', { region: 'fra' }), vol('vol_d', { name: 'other' }), vol('vol_e', { state: 'pending_destroy' }), vol('vol_f')];
    expect(pickVolume(volumes, 'data', 'ams')?.id).toBe('vol_c');
    expect(pickVolume(volumes, 'data', 'sin')).toBeUndefined();
  });
});

describe(NewMachineVolumes.name, () => {
  it('creates the volume with the planned size and mounts it', async () => {
    const api = new VolumesApi([vol('vol_x', { attached_machine_id: 'm0' })]);
    const { config, region } = await new NewMachineVolumes(api as unknown as MachinesApi).mountFor(request);
    expect(region).toBe('ams');
    expect(api.created).toEqual([{ name: 'data', region: 'ams', size_gb: 3 }]);
    expect(config.mounts).toEqual([{ name: 'data', path: '/data', volume: 'vol_new1' }]);
  });

  it('with no region planned, sends none and creates the machine where the platform put the volume', async () => {
    const api = new VolumesApi([]);
    const regionless: MachineUpdateRequestedData = { ...request, region: undefined, createVolume: { name: 'data', sizeGb: 3 } };
    const { config, region } = await new NewMachineVolumes(api as unknown as MachinesApi).mountFor(regionless);
    expect(api.created).toEqual([{ name: 'data', size_gb: 3 }]);
    expect(region).toBe('fra');
    expect(config.mounts).toEqual([{ name: 'data', path: '/data', volume: 'vol_new1' }]);
  });

  it('run twice (a crash after the volume was made) creates one volume: the second run adopts it', async () => {
    const api = new VolumesApi([]);
    const sut = new NewMachineVolumes(api as unknown as MachinesApi);
    const first = await sut.mountFor(request);
    const again = await sut.mountFor(request);
    expect(api.created).toHaveLength(1);
    expect(again.config.mounts).toEqual(first.config.mounts);
  });

  it('a machine the keyed create already made keeps its volume', async () => {
    const made: Machine = {
      id: 'm1',
      name: 'm1',
      state: 'started',
      region: 'ams',
      instance_id: 'i',
      config: { image: 'img', metadata: { [IDEMPOTENCY_METADATA_KEY]: request.key }, mounts: [{ name: 'data', path: '/data', volume: 'vol_made' }] },
      created_at: '',
      updated_at: '',
    };
    const api = new VolumesApi([vol('vol_made', { attached_machine_id: 'm1' })], [made]);
    const { config, region } = await new NewMachineVolumes(api as unknown as MachinesApi).mountFor(request);
    expect(region).toBe('ams');
    expect(api.created).toEqual([]);
    expect(config.mounts?.[0]?.volume).toBe('vol_made');
  });
});
