import { DEFAULT_PROCESS_GROUP, hasServices, mountsFor, processGroupsOf, type AppConfig } from '@hangar/app-config';
import type { MachineState } from '@hangar/machines-api';
import type { MachineSnapshot } from './release.commands';
import type { PlanEntry, ResolvedImage } from './release.events';
import type { ReleaseState } from './release.state';
import { filterOutcome, passesFilters, type FilterOutcome } from './machine-filters';
import { withReplacements, withVolumesForNewMachines, type VolumeSnapshot } from './volume-plan';

export type RolloutPlan = { readonly entries: PlanEntry[]; readonly maxUnavailableCount: number; readonly filters?: FilterOutcome; readonly warnings: string[] };

/** Machines on their way out are not part of the app any more (reference §1 "Selection"). */
const GONE: readonly MachineState[] = ['destroying', 'destroyed'];
/** Groups flyctl reserves for release-command, test and console machines; a deploy never touches them. */
const RESERVED_GROUP_PREFIX = 'fly_app_';

/**
 * The fixed rollout plan (DESIGN §5 step 4, §6.3; reference §1): managed machines of groups still in
 * the config are updated (skipped when they already carry this release or a deploy filter leaves
 * them out), groups without a managed machine get new ones (none with `--update-only`), managed
 * machines of groups no longer in the config are destroyed (only those the filters let through).
 * Unmanaged machines are left alone. Entries are ordered as flyctl runs them (destroy removed groups →
 * create new groups → update existing), by group, then by machine id.
 *
 * Unlike flyctl, a group whose machines the filters all leave out is not "new": flyctl filters the
 * machines before it looks for empty groups and so launches fresh machines for such a group.
 */
export function planRollout(release: ReleaseState, _image: ResolvedImage, machines: readonly MachineSnapshot[], volumes: readonly VolumeSnapshot[] = []): RolloutPlan {
  const configured = processGroupsOf(release.config);
  const groups = configured.length > 0 ? configured : [DEFAULT_PROCESS_GROUP];
  const all = machines.filter((m) => m.managed && !GONE.includes(m.state) && !groupOf(m).startsWith(RESERVED_GROUP_PREFIX)).sort(byGroupThenId);
  // flyctl skips the lease of a machine on an unreachable host; nothing can be done to it until the
  // host is back, so it is left out of the rollout (a group that has one still counts as having machines).
  const unreachable = all.filter((m) => m.hostStatus !== undefined && m.hostStatus !== 'ok');
  const managed = all.filter((m) => !unreachable.includes(m));
  const warnings = unreachable.map(
    (m) => `Machine ${m.id} [${groupOf(m)}] is on an unreachable host (host_status ${m.hostStatus}): skipped; it keeps its current release until its host is back and a later deploy updates it`,
  );
  const entry = (m: MachineSnapshot, action: PlanEntry['action']) => machineEntry(release.releaseId, m, action);
  const passes = (m: MachineSnapshot) => passesFilters(release, { id: m.id, region: m.region, group: groupOf(m) });
  const selected = (g: string) => release.processGroups === undefined || release.processGroups.length === 0 || release.processGroups.includes(g);

  const destroys = managed.filter((m) => !groups.includes(groupOf(m)) && passes(m)).map((m) => entry(m, 'destroy'));
  // With none of these the request names no region and the platform picks one, as flyctl does:
  // `local` is only fleet's name for itself, and Fly rejects it.
  const region = release.config.primaryRegion ?? firstRegion(managed) ?? firstRegion(machines);
  const creates = release.updateOnly
    ? []
    : groups
        .filter((g) => selected(g) && !all.some((m) => groupOf(m) === g))
        .flatMap((g) => createEntries(release.releaseId, release.config, g, region, release.ha !== false));
  const atTarget = (m: MachineSnapshot) => m.releaseId === release.releaseId || (release.rollbackOf !== undefined && m.releaseId === release.rollbackOf.releaseId);
  const updateAction = release.strategy === 'bluegreen' ? 'green' : 'update';
  const updates = managed
    .filter((m) => groups.includes(groupOf(m)))
    .map((m) => entry(m, atTarget(m) || !passes(m) ? 'skip' : updateAction));
  const canaries = release.strategy === 'canary' ? canaryEntries(release.releaseId, updates) : [];

  const startedCount = updates.filter((e) => e.wasStarted).length;
  const rolled = withReplacements(release.releaseId, release.config, updates, volumes);
  const filters = filterOutcome(release, managed.map((m) => ({ id: m.id, region: m.region, group: groupOf(m) })));
  return {
    entries: [...canaries, ...destroys, ...withVolumesForNewMachines(release.config, creates, volumes), ...rolled],
    maxUnavailableCount: maxUnavailableCount(release.maxUnavailable, startedCount),
    ...(filters ? { filters } : {}),
    warnings,
  };
}

/** One canary per process group that has machines to update, in that group's region (reference §4.3). */
function canaryEntries(releaseId: string, updates: readonly PlanEntry[]): PlanEntry[] {
  const byGroup = new Map<string, PlanEntry>();
  for (const u of updates) if (u.action === 'update' && !byGroup.has(u.processGroup)) byGroup.set(u.processGroup, u);
  return [...byGroup.values()].map((u) => ({
    key: `${releaseId}:canary:${u.processGroup}`,
    action: 'canary' as const,
    processGroup: u.processGroup,
    ...(u.region === undefined ? {} : { region: u.region }),
    wasStarted: false,
    ...(u.guest ? { guest: u.guest } : {}),
  }));
}

/**
 * `max_unavailable` as a machine count (DESIGN §6.2): ≥ 1 is a count (floored); in (0, 1) a fraction
 * of the started machines, rounded up; never less than 1 so a rollout always makes progress.
 */
export function maxUnavailableCount(maxUnavailable: number, startedCount: number): number {
  if (maxUnavailable >= 1) return Math.floor(maxUnavailable);
  // Rounded to 9 places first so 0.1 × 30 is 3, not 4 (binary floating point gives 3.0000000000000004).
  const exact = Math.round(startedCount * maxUnavailable * 1e9) / 1e9;
  return Math.max(1, Math.ceil(exact));
}

/**
 * How many machines a group with none gets (DESIGN §6.3, reference §1): one when it has a volume to
 * mount, two for high availability when it serves traffic, else one; always one with `--ha=false`.
 */
export function firstDeployCount(config: AppConfig, group: string, ha = true): number {
  if (!ha || mountsFor(config, group).length > 0) return 1;
  return hasServices(config, group) ? 2 : 1;
}

function createEntries(releaseId: string, config: AppConfig, group: string, region: string | undefined, ha: boolean): PlanEntry[] {
  return Array.from({ length: firstDeployCount(config, group, ha) }, (_, i) => ({
    key: `${releaseId}:create:${group}:${i + 1}`,
    action: 'create' as const,
    processGroup: group,
    ...(region === undefined ? {} : { region }),
    wasStarted: false,
  }));
}

function machineEntry(releaseId: string, m: MachineSnapshot, action: PlanEntry['action']): PlanEntry {
  return {
    key: `${releaseId}:${action}:${m.id}`,
    action,
    machineId: m.id,
    processGroup: groupOf(m),
    region: m.region,
    wasStarted: m.state === 'started' || m.state === 'starting',
    ...(m.releaseVersion === undefined ? {} : { fromReleaseVersion: m.releaseVersion }),
    fromInstanceId: m.instanceId,
    ...(m.config.guest ? { guest: m.config.guest } : {}),
    ...(m.config.mounts && m.config.mounts.length > 0 ? { mounts: m.config.mounts } : {}),
  };
}

/** flyctl treats a managed machine without a group as `app`. */
function groupOf(m: MachineSnapshot): string {
  return m.processGroup || DEFAULT_PROCESS_GROUP;
}

function firstRegion(machines: readonly MachineSnapshot[]): string | undefined {
  return [...machines].filter((m) => !GONE.includes(m.state)).sort(byId)[0]?.region;
}

function byId(a: MachineSnapshot, b: MachineSnapshot): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byGroupThenId(a: MachineSnapshot, b: MachineSnapshot): number {
  const ga = groupOf(a);
  const gb = groupOf(b);
  return ga < gb ? -1 : ga > gb ? 1 : byId(a, b);
}
