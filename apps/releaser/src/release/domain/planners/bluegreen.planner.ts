import { isTerminal, type ReleaseState } from '../release.state';
import type { PlanEntry } from '../release.events';
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

/**
 * Bluegreen (DESIGN §6.2, reference §4.4): one green per blue, created with
 * `skip_service_registration` (not routed, as flyctl); when every green is started and healthy they
 * are uncordoned (made routable, as flyctl); then each blue is cordoned, stopped
 * and destroyed. Any failure before the greens are uncordoned destroys the greens and leaves the
 * blues untouched. Machines of removed groups go with the blues.
 */
export function bluegreenPlanner(state: ReleaseState): PlannedOperation[] {
  if (!state.plan || isTerminal(state)) return [];
  const entries = actionable(state);
  const greens = entries.filter((e) => e.action === 'green' || e.action === 'create');
  const removed = entries.filter((e) => e.action === 'destroy');
  const uncordons = greens.map((g) => derivedOperation(state, g, 'uncordon', 'created'));
  const uncordonStarted = uncordons.some((op) => op !== undefined && state.ops[op.key] !== undefined);

  if (isStopping(state)) {
    if (anyInFlight(state) || uncordonStarted) return [];
    return greens.map((g) => derivedOperation(state, g, 'destroy', 'created')).filter((op) => notRequested(state, op));
  }
  if (greens.some((g) => statusOf(state, g) !== 'succeeded')) {
    const limit = Math.max(1, Math.min(Math.ceil(greens.length / 3), MAX_CONCURRENT));
    return takePending(state, greens, limit).map((g) => operationFor(g, g.wasStarted || g.action === 'create'));
  }
  const pendingUncordons = uncordons.filter((op) => notRequested(state, op));
  if (pendingUncordons.length > 0 || uncordons.some((op) => op && state.ops[op.key] === 'requested')) {
    return pendingUncordons.slice(0, Math.max(0, MAX_CONCURRENT - inFlight(state)));
  }
  const blues = retireBlues(state, greens.filter((g) => g.action === 'green'));
  const room = Math.max(0, MAX_CONCURRENT - inFlight(state) - blues.length);
  return [...blues, ...takePending(state, removed, inFlightOf(state, removed) + room).map((e) => operationFor(e, false))];
}

/** Each blue: cordon → stop → destroy, one step at a time, `MAX_CONCURRENT` operations in flight. */
function retireBlues(state: ReleaseState, greens: readonly PlanEntry[]): PlannedOperation[] {
  const next: PlannedOperation[] = [];
  for (const blue of greens) {
    const steps = (['cordon', 'stop', 'destroy'] as const).map((kind) => derivedOperation(state, blue, kind, 'own')!);
    const current = steps.find((op) => state.ops[op.key] !== 'succeeded');
    if (current && state.ops[current.key] === undefined) next.push(current);
  }
  return next.slice(0, Math.max(0, MAX_CONCURRENT - inFlight(state)));
}

function inFlightOf(state: ReleaseState, entries: readonly PlanEntry[]): number {
  return entries.filter((e) => state.ops[e.key] === 'requested').length;
}

function inFlight(state: ReleaseState): number {
  return Object.values(state.ops).filter((s) => s === 'requested').length;
}
