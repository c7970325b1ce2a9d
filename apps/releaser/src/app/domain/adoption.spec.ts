import { parseAppConfigOrThrow } from '@hangar/app-config';
import type { MachineConfig, MachineState } from '@hangar/machines-api';
import { migrationRequired, planAdoption, type AdoptableMachine } from './adoption';

const machine = (id: string, opts: { state?: MachineState; managed?: boolean; group?: string } = {}): AdoptableMachine => ({
  id,
  state: opts.state ?? 'started',
  managed: opts.managed ?? false,
  config: { image: 'img', metadata: opts.group ? { fly_process_group: opts.group } : {} } as MachineConfig,
});

describe(planAdoption.name, () => {
  const withWorker = parseAppConfigOrThrow('app = "old"\n[processes]\napp = "run"\nworker = "work"\n');
  const plain = parseAppConfigOrThrow('app = "old"\n');

  it('adopts every live unmanaged machine into the default group', () => {
    const machines = [machine('0b0b0b0b0b0b0b'), machine('0a0a0a0a0a0a0a', { state: 'stopped' }), machine('0c0c0c0c0c0c0c', { state: 'destroyed' }), machine('0d0d0d0d0d0d0d', { managed: true })];
    expect(planAdoption(machines, plain)).toEqual([
      { machineId: '0a0a0a0a0a0a0a', processGroup: 'app' },
      { machineId: '0b0b0b0b0b0b0b', processGroup: 'app' },
    ]);
  });

  it('keeps a group of its own when the config has it', () => {
    const machines = [machine('0a0a0a0a0a0a0a', { group: 'worker' }), machine('0b0b0b0b0b0b0b', { group: 'gone' })];
    expect(planAdoption(machines, withWorker)).toEqual([
      { machineId: '0a0a0a0a0a0a0a', processGroup: 'worker' },
      { machineId: '0b0b0b0b0b0b0b', processGroup: 'app' },
    ]);
  });

  it('asks the question the CLI prompts with', () => {
    expect(migrationRequired('old', 2)).toMatchObject({
      code: 'RELEASE.MIGRATION_REQUIRED',
      message: 'Migrate old to Apps V2? This marks its 2 machines as managed by deploy.',
      details: { app: 'old', machines: 2 },
    });
  });
});
