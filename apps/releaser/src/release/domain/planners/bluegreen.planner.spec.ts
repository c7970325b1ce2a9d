import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { releaseDecider, type ReleaseCommand } from '../release.decider';
import { IMAGE, LATER, RELEASE_ID, appConfig, fold, machine, machineId, queued, started } from '../release-test.fixtures';
import type { ReleaseEvent } from '../release.events';
import type { ReleaseState } from '../release.state';

const config = appConfig({ checks: { alive: { type: 'tcp', port: 8080 } } });

function run(state: ReleaseState, command: ReleaseCommand): { state: ReleaseState; requests: MachineUpdateRequestedData[] } {
  const events = releaseDecider.decide(command, state);
  return { state: fold(events, state), requests: events.flatMap((e: ReleaseEvent) => (e.type === 'MachineUpdateRequested' ? [e.data] : [])) };
}

const outcome = (key: string, machineId?: string): ReleaseCommand => ({ type: 'RecordStepOutcome', key, ok: true, ...(machineId ? { machineId } : {}), now: LATER });

describe('bluegreen step plan', () => {
  it('creates greens unrouted (skip_service_registration, no cordon call), uncordons them once all are healthy, then retires blues', () => {
    let state = fold([queued({ config, strategy: 'bluegreen' }), started()]);
    const blues = [machine(1), machine(2)];
    let step = run(state, { type: 'PlanRollout', image: IMAGE, machines: blues, now: LATER });
    expect(step.requests.map((r) => [r.kind, r.skipServiceRegistration, r.cordoned])).toEqual([['create', true, undefined]]);

    const greenOf = (n: number) => `${RELEASE_ID}:green:${machineId(n)}`;
    state = step.state;
    step = run(state, outcome(greenOf(1), machineId(11)));
    expect(step.requests).toEqual([expect.objectContaining({ kind: 'create', key: greenOf(2), skipServiceRegistration: true })]);
    step = run(step.state, outcome(greenOf(2), machineId(12)));
    // Both greens healthy: only now do they become routable; no blue is touched yet.
    expect(step.requests.map((r) => [r.kind, r.machineId])).toEqual([
      ['uncordon', machineId(11)],
      ['uncordon', machineId(12)],
    ]);
    step = run(step.state, outcome(`${greenOf(1)}:uncordon`));
    expect(step.requests).toEqual([]);
    step = run(step.state, outcome(`${greenOf(2)}:uncordon`));
    expect(step.requests.map((r) => [r.kind, r.machineId])).toEqual([
      ['cordon', machineId(1)],
      ['cordon', machineId(2)],
    ]);
  });

  it('a failed green destroys the greens made and never touches a blue', () => {
    const state = fold([queued({ config, strategy: 'bluegreen' }), started()]);
    let step = run(state, { type: 'PlanRollout', image: IMAGE, machines: [machine(1), machine(2)], now: LATER });
    step = run(step.state, outcome(`${RELEASE_ID}:green:${machineId(1)}`, machineId(11)));
    step = run(step.state, { type: 'RecordStepOutcome', key: `${RELEASE_ID}:green:${machineId(2)}`, ok: false, reason: 'unhealthy', now: LATER });
    expect(step.requests.map((r) => [r.kind, r.machineId])).toEqual([['destroy', machineId(11)]]);
  });
});
