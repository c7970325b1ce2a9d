import { isTerminal, type ReleaseState } from '../release.state';
import type { PlanEntry } from '../release.events';
import {
  MAX_CONCURRENT,
  actionable,
  isStartedUpdate,
  isStopping,
  operationFor,
  statusOf,
  takePending,
  type PlannedOperation,
} from './planner.types';

/**
 * Rolling (DESIGN §6.2, reference §4.1), in flyctl's order: machines of removed groups are destroyed
 * first, then creates and updates run. At most `maxUnavailableCount` started machines are being
 * updated at once across the whole app, counted from the stored state so the limit holds across
 * crashes; the first started machine goes alone (spearhead) and the others wait for it to succeed.
 * Stopped machines and new ones make nothing unavailable, so they run alongside, `MAX_CONCURRENT` at
 * a time. After any failure nothing new is requested; the decider fails the release once the
 * operations in flight have reported.
 */
export function rollingPlanner(state: ReleaseState): PlannedOperation[] {
  if (!state.plan || isTerminal(state) || isStopping(state)) return [];
  return rollOver(state, actionable(state));
}

/** Rolling over `entries` (a canary release rolls everything but its canaries this way). */
export function rollOver(state: ReleaseState, entries: readonly PlanEntry[]): PlannedOperation[] {

  const destroys = entries.filter((e) => e.action === 'destroy');
  if (destroys.some((e) => statusOf(state, e) !== 'succeeded')) {
    return takePending(state, destroys, MAX_CONCURRENT).map((e) => operationFor(e, false));
  }

  const background = entries.filter((e) => e.action === 'create' || ((e.action === 'update' || e.action === 'replace') && !e.wasStarted));
  const operations = takePending(state, background, MAX_CONCURRENT).map((e) => operationFor(e, e.action !== 'update'));
  return [...operations, ...startedUpdates(state, entries.filter(isStartedUpdate))];
}

function startedUpdates(state: ReleaseState, started: readonly PlanEntry[]): PlannedOperation[] {
  const spearhead = started[0];
  if (!spearhead) return [];
  switch (statusOf(state, spearhead)) {
    case 'pending':
      return [operationFor(spearhead, true)];
    case 'succeeded':
      return takePending(state, started, state.plan?.maxUnavailableCount ?? 1).map((e) => operationFor(e, true));
    default:
      // In flight: it goes alone. Failed: the release is failing.
      return [];
  }
}
