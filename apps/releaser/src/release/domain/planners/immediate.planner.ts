import { isTerminal, type ReleaseState } from '../release.state';
import { MAX_CONCURRENT, actionable, operationFor, takePending, type PlannedOperation } from './planner.types';

/**
 * Immediate (DESIGN §6.2, reference §4.2): every entry is requested, `MAX_CONCURRENT` in flight at
 * once, nobody waits for start or health checks, and a failure stops nothing: every machine is
 * attempted and the decider collects the errors at the end.
 */
export function immediatePlanner(state: ReleaseState): PlannedOperation[] {
  if (!state.plan || isTerminal(state) || state.cancelRequested) return [];
  return takePending(state, actionable(state), MAX_CONCURRENT).map((e) => operationFor(e, false));
}
