import { ErrorCodes, HangarError } from '@hangar/contracts';
import type { ReleaseState } from '../release.state';
import { bluegreenPlanner } from './bluegreen.planner';
import { canaryPlanner } from './canary.planner';
import { immediatePlanner } from './immediate.planner';
import type { PlannedOperation } from './planner.types';
import { rollingPlanner } from './rolling.planner';

export type { PlannedOperation, Planner } from './planner.types';
export { MAX_CONCURRENT } from './planner.types';

/** The operations the release's strategy wants requested now; `[]` when it waits or is done. */
export function nextOperations(state: ReleaseState): PlannedOperation[] {
  switch (state.strategy) {
    case 'rolling':
      return rollingPlanner(state);
    case 'immediate':
      return immediatePlanner(state);
    case 'canary':
      return canaryPlanner(state);
    case 'bluegreen':
      return bluegreenPlanner(state);
    default: {
      const unknown: never = state.strategy;
      throw new HangarError(ErrorCodes.INTERNAL, `unknown strategy ${String(unknown)}`);
    }
  }
}
