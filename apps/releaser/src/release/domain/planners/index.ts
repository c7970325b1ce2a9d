import { ErrorCodes, HangarError } from '@hangar/contracts';
import type { ReleaseState } from '../release.state';
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
    case 'bluegreen':
      // Their own planners (extra machines, cordoning) come with a later issue; until then they roll.
      return rollingPlanner(state);
    default: {
      const unknown: never = state.strategy;
      throw new HangarError(ErrorCodes.INTERNAL, `unknown strategy ${String(unknown)}`);
    }
  }
}
