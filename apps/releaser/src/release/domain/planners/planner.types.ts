import { ErrorCodes, HangarError, type MachineOperationKind } from '@hangar/contracts';
import type { PlanEntry } from '../release.events';
import type { OpStatus, ReleaseState } from '../release.state';

/** One plan entry to request now; the decider turns it into a `MachineUpdateRequested`. */
export type PlannedOperation = {
  /** The entry's idempotency key. */
  readonly key: string;
  readonly kind: MachineOperationKind;
  readonly entry: PlanEntry;
  /** Wait for `started` with the new instance id and for checks before reporting success. */
  readonly waitForHealth: boolean;
};

/** A strategy: given the release state (what is planned, in flight, done), what to request next. */
export type Planner = (state: ReleaseState) => PlannedOperation[];

/** flyctl's `defaultMaxConcurrent`: operations in flight at once where no availability limit applies. */
export const MAX_CONCURRENT = 8;

export function statusOf(state: ReleaseState, entry: PlanEntry): OpStatus | undefined {
  return state.ops[entry.key];
}

/** Updating a machine that was serving makes it unavailable until it is back and healthy. */
export function isStartedUpdate(entry: PlanEntry): boolean {
  return (entry.action === 'update' || entry.action === 'replace') && entry.wasStarted;
}

/** Entries that are ever requested: everything but `skip`. */
export function actionable(state: ReleaseState): PlanEntry[] {
  return (state.plan?.entries ?? []).filter((e) => e.action !== 'skip');
}

export function countWithStatus(state: ReleaseState, entries: readonly PlanEntry[], status: OpStatus): number {
  let n = 0;
  for (const e of entries) if (state.ops[e.key] === status) n++;
  return n;
}

/** The first `limit − inFlight` pending entries, in plan order. */
export function takePending(state: ReleaseState, entries: readonly PlanEntry[], limit: number): PlanEntry[] {
  const room = limit - countWithStatus(state, entries, 'requested');
  if (room <= 0) return [];
  return entries.filter((e) => state.ops[e.key] === 'pending').slice(0, room);
}

export function operationFor(entry: PlanEntry, waitForHealth: boolean): PlannedOperation {
  if (entry.action === 'skip') throw new HangarError(ErrorCodes.INTERNAL, `plan entry ${entry.key} is a skip and is never requested`);
  const kind = entry.action === 'canary' || entry.action === 'green' ? 'create' : entry.action;
  return { key: entry.key, kind, entry, waitForHealth };
}

/**
 * An operation derived from a plan entry (uncordon a green, destroy a canary, …): its own key,
 * on the machine the entry's operation created (`outcomes`) or the entry's own machine.
 */
export function derivedOperation(
  state: ReleaseState,
  entry: PlanEntry,
  kind: MachineOperationKind,
  on: 'created' | 'own',
): PlannedOperation | undefined {
  const machineId = on === 'created' ? state.outcomes[entry.key]?.machineId : entry.machineId;
  if (!machineId) return undefined;
  const key = `${entry.key}:${kind}`;
  return { key, kind, entry: { ...entry, key, machineId }, waitForHealth: false };
}

/** Not yet requested (derived operations have no `pending` state: absent until requested). */
export function notRequested(state: ReleaseState, op: PlannedOperation | undefined): op is PlannedOperation {
  return op !== undefined && state.ops[op.key] === undefined;
}

export function anyInFlight(state: ReleaseState): boolean {
  return Object.values(state.ops).includes('requested');
}

/** A failure or a cancel: the strategy requests nothing new except its cleanup. */
export function isStopping(state: ReleaseState): boolean {
  return state.failures.length > 0 || state.cancelRequested;
}
