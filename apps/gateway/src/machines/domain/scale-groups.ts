import type { MachineView } from '@hangar/contracts';

/** One process group of `scale show` (flyctl's `fly scale show`): how many machines, where, of what size. */
export interface ScaleGroup {
  name: string;
  count: number;
  cpuKind: string;
  cpus: number;
  memoryMb: number;
  /** Region → machines of the group there. */
  regions: Record<string, number>;
}

/** The release command's temporary machines: managed, but not part of any group's count. */
const RELEASE_COMMAND_GROUP = 'fly_app_release_command';
/** What the Machines API gives a machine whose config names no guest (`shared-cpu-1x`). */
const DEFAULT_GUEST = { cpu_kind: 'shared', cpus: 1, memory_mb: 256 } as const;

/**
 * The app's managed machines by process group, sorted by name, as flyctl counts them (platform v2
 * machines only). A group's size is its first machine's guest, as in flyctl: machines of a group
 * differ only when someone changed one by hand. Unmanaged machines are counted apart.
 */
export function scaleGroups(machines: readonly MachineView[]): { groups: ScaleGroup[]; unmanaged: number } {
  const managed = [...machines].filter((m) => m.managed && m.processGroup !== RELEASE_COMMAND_GROUP).sort((a, b) => a.id.localeCompare(b.id));
  const byGroup = new Map<string, MachineView[]>();
  for (const m of managed) byGroup.set(m.processGroup, [...(byGroup.get(m.processGroup) ?? []), m]);
  const groups = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => {
      const guest = { ...DEFAULT_GUEST, ...members[0]!.config.guest };
      const regions: Record<string, number> = {};
      for (const m of members) regions[m.region] = (regions[m.region] ?? 0) + 1;
      return { name, count: members.length, cpuKind: guest.cpu_kind, cpus: guest.cpus, memoryMb: guest.memory_mb, regions };
    });
  return { groups, unmanaged: machines.filter((m) => !m.managed).length };
}
