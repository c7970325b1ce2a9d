/**
 * `deploy`'s machine filters (reference §1, flyctl `machineFilteredFromDeployment`): which of the
 * app's managed machines this release may touch. Each list that is given must let a machine through;
 * absent or empty lists filter nothing.
 */
export type MachineFilters = {
  /** `--regions` / `--only-regions`. */
  readonly onlyRegions?: readonly string[];
  readonly excludeRegions?: readonly string[];
  readonly onlyMachines?: readonly string[];
  readonly excludeMachines?: readonly string[];
  /** `--process-groups` (also `--process-group`): also limits which groups get or lose machines. */
  readonly processGroups?: readonly string[];
};

/**
 * What the filters did at planning time, for flyctl's `<flags> filter(s) applied, deploying to N/M
 * machines`: `applied` as flyctl names them, `selected` of `total` managed machines pass, and ids
 * named by `--only-machines` / `--exclude-machines` that are no managed machine of the app.
 */
export type FilterOutcome = {
  readonly applied: readonly string[];
  readonly selected: number;
  readonly total: number;
  readonly unknownMachines?: readonly string[];
};

type Candidate = { readonly id: string; readonly region: string; readonly group: string };

const FLAGS: readonly (readonly [keyof MachineFilters, string])[] = [
  ['onlyRegions', '--regions'],
  ['excludeRegions', '--exclude-regions'],
  ['onlyMachines', '--only-machines'],
  ['excludeMachines', '--exclude-machines'],
  ['processGroups', '--process-groups'],
];

const given = (list: readonly string[] | undefined): list is readonly string[] => list !== undefined && list.length > 0;

/** True when the machine passes every filter that is given. */
export function passesFilters(filters: MachineFilters, m: Candidate): boolean {
  const { onlyRegions, excludeRegions, onlyMachines, excludeMachines, processGroups } = filters;
  if (given(onlyRegions) && !onlyRegions.includes(m.region)) return false;
  if (given(excludeRegions) && excludeRegions.includes(m.region)) return false;
  if (given(onlyMachines) && !onlyMachines.includes(m.id)) return false;
  if (given(excludeMachines) && excludeMachines.includes(m.id)) return false;
  if (given(processGroups) && !processGroups.includes(m.group)) return false;
  return true;
}

/** The flags given, in flyctl's order and spelling (`--regions` for `--only-regions` too). */
export function filterFlags(filters: MachineFilters): string[] {
  return FLAGS.filter(([field]) => given(filters[field])).map(([, flag]) => flag);
}

/**
 * The outcome over the app's managed machines, or undefined when no filter applies. As flyctl, no
 * line when the app has no managed machine (its filter never ran then).
 */
export function filterOutcome(filters: MachineFilters, managed: readonly Candidate[]): FilterOutcome | undefined {
  const applied = filterFlags(filters);
  if (applied.length === 0 || managed.length === 0) return undefined;
  const ids = new Set(managed.map((m) => m.id));
  const named = [...(filters.onlyMachines ?? []), ...(filters.excludeMachines ?? [])];
  const unknownMachines = [...new Set(named.filter((id) => !ids.has(id)))].sort();
  return {
    applied,
    selected: managed.filter((m) => passesFilters(filters, m)).length,
    total: managed.length,
    ...(unknownMachines.length > 0 ? { unknownMachines } : {}),
  };
}
