import type { Machine, MachineConfig } from './machine.types';

/**
 * A machine as Hangar's code reads it. The Machines API leaves `config` out for a machine whose host
 * is not reachable (`host_status` `unreachable` or `unknown`) and may send a partial one as
 * `incomplete_config` instead; like fly-go's `Machine.GetConfig()` (fly-go `machine_types.go`), the
 * partial config stands in for the full one, so metadata, image and mounts read the same. The
 * result keeps `host_status` and gets `incomplete_config`, so callers can tell: such a config must
 * never be sent back (flyctl refuses to clone or update from it), and no call on the machine can
 * succeed until its host is back.
 */
export function withUsableConfig(machine: Machine): Machine {
  if (machine.config && typeof machine.config === 'object') return machine;
  const partial: Partial<MachineConfig> = machine.incomplete_config ?? {};
  const image = partial.image ?? imageOf(machine);
  return { ...machine, config: { ...partial, image }, incomplete_config: { ...partial, image } };
}

/** Whether calls on this machine cannot work now: its host is unreachable (or not known to be up). */
export function isHostUnreachable(machine: Pick<Machine, 'host_status'>): boolean {
  return machine.host_status !== undefined && machine.host_status !== 'ok';
}

function imageOf(machine: Machine): string {
  const ref = machine.image_ref;
  if (!ref || !ref.repository) return '';
  const base = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
  return ref.digest ? `${base}${ref.tag ? `:${ref.tag}` : ''}@${ref.digest}` : `${base}:${ref.tag || 'latest'}`;
}
