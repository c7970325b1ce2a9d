import type { MachineView } from '@hangar/contracts';
import { scaleGroups } from './scale-groups';

let n = 0;
const machine = (processGroup: string, region: string, over: Partial<MachineView> = {}): MachineView => ({
  id: String(++n).padStart(14, '0'),
  processGroup,
  region,
  state: 'started',
  managed: true,
  image: 'web:v1',
  instanceId: 'i',
  config: { image: 'web:v1' },
  ...over,
});

describe('scaleGroups', () => {
  it('counts managed machines per group and region, sorted by group, with the first machine’s guest', () => {
    const result = scaleGroups([
      machine('web', 'ams', { config: { image: 'web:v1', guest: { cpu_kind: 'performance', cpus: 2, memory_mb: 4096 } } }),
      machine('web', 'ams'),
      machine('web', 'cdg'),
      machine('app', 'ams'),
      machine('app', 'ams', { managed: false }),
      machine('fly_app_release_command', 'ams'),
    ]);
    expect(result).toEqual({
      groups: [
        { name: 'app', count: 1, cpuKind: 'shared', cpus: 1, memoryMb: 256, regions: { ams: 1 } },
        { name: 'web', count: 3, cpuKind: 'performance', cpus: 2, memoryMb: 4096, regions: { ams: 2, cdg: 1 } },
      ],
      unmanaged: 1,
    });
  });

  it('has no groups for an app without managed machines', () => {
    expect(scaleGroups([])).toEqual({ groups: [], unmanaged: 0 });
  });
});
