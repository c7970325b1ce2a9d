import type { Machine } from '@hangar/machines-api';
import { faultMatches } from './boot-profile';
import type { Fault, SimMachine } from './sim.types';

/** Whether a live `host-unreachable` fault puts this machine's host out of reach. */
export function isOnUnreachableHost(faults: readonly Fault[], machine: Pick<SimMachine, 'app' | 'id' | 'config'>): boolean {
  return faults.some((f) => f.effect === 'host-unreachable' && faultMatches(f, { app: machine.app, machineId: machine.id, config: machine.config }));
}

/**
 * The machine as the Fly Machines API answers one whose host does not respond: no `config`, only
 * the partial `incomplete_config` it can rebuild elsewhere (image, metadata, guest, mounts), no
 * checks, `host_status: "unreachable"` (fly-go `machine_types.go` `Machine.IncompleteConfig`).
 */
export function unreachableView(machine: Machine): Machine {
  const { config, checks: _checks, ...rest } = machine;
  const incomplete = {
    image: config.image,
    ...(config.metadata ? { metadata: config.metadata } : {}),
    ...(config.guest ? { guest: config.guest } : {}),
    ...(config.mounts ? { mounts: config.mounts } : {}),
  };
  return { ...rest, host_status: 'unreachable', incomplete_config: incomplete } as unknown as Machine;
}
