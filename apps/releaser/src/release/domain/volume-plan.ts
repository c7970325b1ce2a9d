import { mountsFor, type AppConfig } from '@hangar/app-config';
import type { MachineSnapshot } from './release.commands';
import type { PlanEntry, VolumeToCreate } from './release.events';

/** One of the app's volumes as the machines API lists it. */
export type VolumeSnapshot = {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly attachedMachineId?: string;
  readonly state?: string;
};

const RESERVED_GROUP_PREFIX = 'fly_app_';

function liveManaged(machines: readonly MachineSnapshot[], groups: readonly string[]): MachineSnapshot[] {
  return machines.filter(
    (m) => m.managed && m.state !== 'destroyed' && m.state !== 'destroying' && !(m.processGroup ?? 'app').startsWith(RESERVED_GROUP_PREFIX) && groups.includes(m.processGroup ?? 'app'),
  );
}

function free(volumes: readonly VolumeSnapshot[]): VolumeSnapshot[] {
  return volumes
    .filter((v) => !v.attachedMachineId && v.state !== 'destroyed' && v.state !== 'pending_destroy')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * What DESIGN §6.4 refuses, checked against the machines and volumes as they are: renaming a
 * mount's `source` under machines that have a volume (a deploy never changes a machine's volume),
 * removing `[mounts]` without confirmation, and adding `[mounts]` with too few unattached volumes.
 * Each problem is a sentence naming the machines or the command that fixes it.
 */
export function volumeProblems(
  config: AppConfig,
  machines: readonly MachineSnapshot[],
  volumes: readonly VolumeSnapshot[],
  opts: { allowDetach: boolean },
): string[] {
  const problems: string[] = [];
  const need = new Map<string, { group: string; source: string; region: string; count: number }>();
  for (const m of liveManaged(machines, Object.keys(config.processes))) {
    const group = m.processGroup ?? 'app';
    const wanted = mountsFor(config, group)[0];
    const has = m.config.mounts?.[0];
    const hasName = has?.name ?? volumes.find((v) => v.id === has?.volume)?.name;
    if (has && wanted && hasName && hasName !== wanted.source) {
      problems.push(`machine ${m.id} [${group}] can't update the attached volume ${has.volume ?? ''} from '${hasName}' to '${wanted.source}': a deploy never changes a machine's volume; keep [mounts] source = "${hasName}"`);
    } else if (has && !wanted && !opts.allowDetach) {
      problems.push(`removing [mounts] from group '${group}' detaches volume ${has.volume ?? ''} from machine ${m.id} and replaces the machine: confirm with --yes`);
    } else if (!has && wanted) {
      const key = `${wanted.source}@${m.region}`;
      const entry = need.get(key) ?? { group, source: wanted.source, region: m.region, count: 0 };
      entry.count += 1;
      need.set(key, entry);
    }
  }
  const available = free(volumes);
  for (const n of need.values()) {
    const have = available.filter((v) => v.name === n.source && v.region === n.region).length;
    if (have < n.count) {
      problems.push(
        `Process group '${n.group}' needs ${n.count} unattached volume(s) named '${n.source}' in region ${n.region} and has ${have}: run \`hangar volumes create ${n.source} -r ${n.region} -n ${n.count - have}\``,
      );
    }
  }
  return problems;
}

/**
 * Turns updates that must change a machine's mounts into replacements (DESIGN §6.4): a machine
 * gaining `[mounts]` is replaced by one on an unattached volume of that name in its region; a
 * machine losing them is replaced by one without. A changed destination stays an in-place update.
 */
export function withReplacements(releaseId: string, config: AppConfig, entries: readonly PlanEntry[], volumes: readonly VolumeSnapshot[]): PlanEntry[] {
  const pool = free(volumes);
  return entries.map((e) => {
    if (e.action !== 'update' || !e.machineId) return e;
    const wanted = mountsFor(config, e.processGroup)[0];
    const has = e.mounts?.[0];
    if (wanted && !has) {
      const i = pool.findIndex((v) => v.name === wanted.source && v.region === e.region);
      const volume = i >= 0 ? pool.splice(i, 1)[0] : undefined;
      return { ...e, key: `${releaseId}:replace:${e.machineId}`, action: 'replace' as const, ...(volume ? { volumeId: volume.id } : {}) };
    }
    if (has && !wanted) {
      const { mounts: _dropped, ...rest } = e;
      return { ...rest, key: `${releaseId}:replace:${e.machineId}`, action: 'replace' as const };
    }
    return e;
  });
}

/** flyctl's `DefaultVolumeInitialSizeGB`. */
export const DEFAULT_VOLUME_SIZE_GB = 1;

/** `initial_size` (`"10gb"`, `"10"`, `"500mb"`) in whole GB, rounded up; the default when absent or unreadable. */
export function initialSizeGb(initialSize: string | undefined): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb?|mb?|tb?)?\s*$/i.exec(initialSize ?? '');
  if (!m) return DEFAULT_VOLUME_SIZE_GB;
  const unit = (m[2] ?? 'g').toLowerCase()[0];
  const gb = Number(m[1]) * (unit === 't' ? 1024 : unit === 'm' ? 1 / 1024 : 1);
  return Math.max(1, Math.ceil(gb));
}

/**
 * Gives each new machine of a group with `[mounts]` its volume, as flyctl's first deploy does: an
 * unattached volume named `source` in the machine's region when there is one (each used once),
 * else a volume to create with the mount's `initial_size`. Decided here, recorded with the plan, so
 * a resumed rollout never makes a second volume for the same machine.
 */
export function withVolumesForNewMachines(config: AppConfig, entries: readonly PlanEntry[], volumes: readonly VolumeSnapshot[]): PlanEntry[] {
  const pool = free(volumes);
  return entries.map((e) => {
    if (e.action !== 'create') return e;
    const mount = mountsFor(config, e.processGroup)[0];
    if (!mount) return e;
    // With no region known, a volume of that name in any region will do, and the machine goes where it is.
    const i = pool.findIndex((v) => v.name === mount.source && (e.region === undefined || v.region === e.region));
    if (i >= 0) {
      const volume = pool.splice(i, 1)[0]!;
      return { ...e, region: volume.region, volumeId: volume.id };
    }
    const createVolume: VolumeToCreate = { name: mount.source, ...(e.region ? { region: e.region } : {}), sizeGb: initialSizeGb(mount.initialSize) };
    return { ...e, createVolume };
  });
}
