import { HangarError } from '@hangar/contracts';
import { DEFAULT_PROCESS_GROUP, defaultProcessGroup, processGroupsOf, type AppConfig } from '@hangar/app-config';
import { MetadataKeys, type MachineConfig, type MachineState } from '@hangar/machines-api';

/** What adopting one machine writes: `fly_platform_version=v2` and this `fly_process_group`. */
export interface AdoptionEntry {
  readonly machineId: string;
  readonly processGroup: string;
}

export interface AdoptableMachine {
  readonly id: string;
  readonly state: MachineState;
  readonly managed: boolean;
  readonly config: MachineConfig;
}

export const MIGRATION_REQUIRED = 'RELEASE.MIGRATION_REQUIRED';

/**
 * The machines a legacy app's migration to Apps V2 adopts (DESIGN §6.7): every live machine not yet
 * managed. Each keeps a process group of its own when the config has that group, else it joins the
 * config's default group.
 */
export function planAdoption(machines: readonly AdoptableMachine[], config: AppConfig): AdoptionEntry[] {
  const groups = processGroupsOf(config);
  const fallback = (groups.length > 0 ? defaultProcessGroup(config) : undefined) ?? DEFAULT_PROCESS_GROUP;
  return machines
    .filter((m) => !m.managed && m.state !== 'destroying' && m.state !== 'destroyed')
    .map((m) => {
      const own = m.config.metadata?.[MetadataKeys.processGroup];
      return { machineId: m.id, processGroup: own !== undefined && groups.includes(own) ? own : fallback };
    })
    .sort((a, b) => a.machineId.localeCompare(b.machineId));
}

/** The refusal a deploy to a legacy app gets until the user confirms (the CLI turns it into a prompt). */
export function migrationRequired(app: string, machines: number): HangarError {
  return new HangarError(MIGRATION_REQUIRED, `Migrate ${app} to Apps V2? This marks its ${machines} machines as managed by deploy.`, { app, machines });
}
