import { releaseDecider, type ReleaseEvent } from './release.decider';
import { IMAGE, LATER, NOW, RELEASE_ID, APP, appConfig, fold, machine, queued, started } from './release-test.fixtures';

/** Issue 5: every release carries the app's secrets version into each machine operation it requests. */
describe('releaseDecider secrets version', () => {
  const requested = (events: readonly ReleaseEvent[]) => events.flatMap((e) => (e.type === 'MachineUpdateRequested' ? [e.data] : []));

  it('records the secrets version of a queued release', () => {
    const events = releaseDecider.decide(
      {
        type: 'QueueRelease',
        releaseId: RELEASE_ID,
        app: APP,
        version: 3,
        config: appConfig(),
        imageRef: 'img',
        strategy: 'rolling',
        maxUnavailable: 1,
        waitTimeoutMs: 1000,
        trigger: 'secrets',
        actor: 'alice',
        secretsVersion: 7,
        now: NOW,
      },
      releaseDecider.initialState(),
    );
    expect(events).toEqual([expect.objectContaining({ type: 'ReleaseQueued', data: expect.objectContaining({ secretsVersion: 7, trigger: 'secrets' }) })]);
  });

  it('passes it on to every machine operation of the rollout', () => {
    const state = fold([queued({ secretsVersion: 4, strategy: 'immediate' }), started()]);
    const events = releaseDecider.decide({ type: 'PlanRollout', image: IMAGE, machines: [machine(1), machine(2)], now: LATER }, state);
    const ops = requested(events);
    expect(ops).toHaveLength(2);
    expect(ops.every((op) => op.secretsVersion === 4)).toBe(true);
  });

  it('requests no secrets when the release has none', () => {
    const state = fold([queued({ strategy: 'immediate' }), started()]);
    const ops = requested(releaseDecider.decide({ type: 'PlanRollout', image: IMAGE, machines: [machine(1)], now: LATER }, state));
    expect(ops).toHaveLength(1);
    expect('secretsVersion' in ops[0]!).toBe(false);
  });
});
