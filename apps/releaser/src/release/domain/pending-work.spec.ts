import { releaseDecider, type ReleaseCommand, type ReleaseEvent, type ReleaseState } from './release.decider';
import { IMAGE, LATER, RELEASE_ID, fold, machine, machineId, queued, started } from './release-test.fixtures';
import { pendingWork } from './pending-work';

/** Folds the events, then what each command decides on top. */
function after(events: ReleaseEvent[], ...commands: ReleaseCommand[]): ReleaseState {
  let state = fold(events);
  for (const c of commands) state = fold(releaseDecider.decide(c, state), state);
  return state;
}

const planThree: ReleaseCommand = { type: 'PlanRollout', image: IMAGE, machines: [machine(1), machine(2), machine(3)], now: LATER };
const ok = (n: number): ReleaseCommand => ({ type: 'RecordStepOutcome', key: `${RELEASE_ID}:update:${machineId(n)}`, ok: true, now: LATER });

describe(pendingWork.name, () => {
  it('has nothing to do for a queued release: the app lock, not a lost message, holds it back', () => {
    expect(pendingWork(fold([queued()]))).toEqual({ kind: 'none' });
  });

  it('waits for the image (or the plan) of a started release with nothing in flight', () => {
    expect(pendingWork(fold([queued(), started()]))).toEqual({ kind: 'image' });
  });

  it('lists the requested operations without an outcome, and only those', () => {
    const state = after([queued({ maxUnavailable: 2 }), started()], planThree, ok(1));
    expect(pendingWork(state)).toEqual({ kind: 'operations', keys: [`${RELEASE_ID}:update:${machineId(2)}`, `${RELEASE_ID}:update:${machineId(3)}`] });
  });

  it('has nothing to do once the release is finished', () => {
    const state = after([queued({ maxUnavailable: 3 }), started()], planThree, ok(1), ok(2), ok(3));
    expect(state.status).toBe('complete');
    expect(pendingWork(state)).toEqual({ kind: 'none' });
  });
});
