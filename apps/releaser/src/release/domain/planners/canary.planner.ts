import { isTerminal, type ReleaseState } from '../release.state';
import {
  MAX_CONCURRENT,
  actionable,
  anyInFlight,
  derivedOperation,
  isStopping,
  notRequested,
  operationFor,
  statusOf,
  takePending,
  type PlannedOperation,
} from './planner.types';
import { rollOver } from './rolling.planner';

/**
 * Canary (DESIGN §6.2): one new machine per process group at the new release; only when every
 * canary is started and healthy is an existing machine touched. The canaries keep serving while
 * the rest rolls (flyctl destroys them first and takes single-machine apps down, flyctl #4745),
 * and are destroyed at the end: after the roll, or after a failure or cancel once nothing is in
 * flight.
 */
export function canaryPlanner(state: ReleaseState): PlannedOperation[] {
  if (!state.plan || isTerminal(state)) return [];
  const entries = actionable(state);
  const canaries = entries.filter((e) => e.action === 'canary');
  const rest = entries.filter((e) => e.action !== 'canary');
  if (!isStopping(state)) {
    if (canaries.some((c) => statusOf(state, c) !== 'succeeded')) {
      return takePending(state, canaries, MAX_CONCURRENT).map((c) => operationFor(c, true));
    }
    if (rest.some((e) => statusOf(state, e) !== 'succeeded')) return rollOver(state, rest);
  } else if (anyInFlight(state)) {
    return [];
  }
  return canaries.map((c) => derivedOperation(state, c, 'destroy', 'created')).filter((op) => notRequested(state, op));
}
