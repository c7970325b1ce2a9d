import { HangarError, type MachineUpdateRequestedData } from '@hangar/contracts';
import { releaseDecider, type ReleaseCommand, type ReleaseEvent, type ReleaseState } from './release.decider';
import { APP, IMAGE, LATER, NOW, PINNED_IMAGE, RELEASE_ID, appConfig, fold, machine, machineId, queued, started } from './release-test.fixtures';
import type { MachineSnapshot } from './release.commands';

function given(...events: ReleaseEvent[]): ReleaseState {
  return fold(events);
}

function when(state: ReleaseState, command: ReleaseCommand): ReleaseEvent[] {
  return releaseDecider.decide(command, state);
}

function thenThrows(state: ReleaseState, command: ReleaseCommand, code: string): void {
  let caught: unknown;
  try {
    releaseDecider.decide(command, state);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HangarError);
  expect((caught as HangarError).code).toBe(code);
}

function requests(events: readonly ReleaseEvent[]): MachineUpdateRequestedData[] {
  return events.flatMap((e) => (e.type === 'MachineUpdateRequested' ? [e.data] : []));
}

function types(events: readonly ReleaseEvent[]): string[] {
  return events.map((e) => e.type);
}

const plan = (machines: MachineSnapshot[]): ReleaseCommand => ({ type: 'PlanRollout', image: IMAGE, machines, now: LATER });
const ok = (n: number): ReleaseCommand => ({ type: 'RecordStepOutcome', key: `${RELEASE_ID}:update:${machineId(n)}`, ok: true, instanceId: `new-${n}`, now: LATER });
const failed = (n: number, reason = 'boom'): ReleaseCommand => ({
  type: 'RecordStepOutcome',
  key: `${RELEASE_ID}:update:${machineId(n)}`,
  ok: false,
  reason,
  now: LATER,
});

/** Folds the given events, then every event each command decides, in order. */
function run(state: ReleaseState, ...commands: ReleaseCommand[]): { state: ReleaseState; events: ReleaseEvent[] } {
  const all: ReleaseEvent[] = [];
  for (const c of commands) {
    const events = releaseDecider.decide(c, state);
    all.push(...events);
    state = fold(events, state);
  }
  return { state, events: all };
}

describe('releaseDecider', () => {
  describe('QueueRelease', () => {
    const command: ReleaseCommand = {
      type: 'QueueRelease',
      releaseId: RELEASE_ID,
      app: APP,
      version: 3,
      config: appConfig(),
      imageRef: '127.0.0.1:5000/demo:1',
      strategy: 'rolling',
      maxUnavailable: 1,
      waitTimeoutMs: 60_000,
      trigger: 'cli',
      actor: 'alice',
      now: new Date(NOW),
    };

    it('records the release on an empty stream', () => {
      expect(when(given(), command)).toEqual([queued()]);
      expect(fold([queued()]).status).toBe('queued');
    });

    it('ignores a repeat once the stream has the release', () => {
      expect(when(given(queued()), command)).toEqual([]);
    });

    it.each([0, -1, Number.NaN])('rejects max_unavailable %p', (maxUnavailable) => {
      thenThrows(given(), { ...command, maxUnavailable }, 'CONFIG.INVALID_MAX_UNAVAILABLE');
    });
  });

  describe('StartRelease', () => {
    it('starts a queued release', () => {
      expect(when(given(queued()), { type: 'StartRelease' })).toEqual([
        { type: 'ReleaseStarted', data: { releaseId: RELEASE_ID, app: APP, version: 3, imageRef: '127.0.0.1:5000/demo:1' } },
      ]);
      expect(given(queued(), started()).status).toBe('running');
    });

    it('is idempotent once started or finished', () => {
      expect(when(given(queued(), started()), { type: 'StartRelease' })).toEqual([]);
      const failedRelease = given(queued(), { type: 'ReleaseFailed', data: { releaseId: RELEASE_ID, app: APP, version: 3, reason: 'x', failures: [], finishedAt: NOW } });
      expect(when(failedRelease, { type: 'StartRelease' })).toEqual([]);
    });

    it('rejects a release that does not exist', () => {
      thenThrows(given(), { type: 'StartRelease' }, 'RELEASE.NOT_FOUND');
    });
  });

  describe('PlanRollout', () => {
    it('plans and requests only the spearhead of a rolling release', () => {
      const events = when(given(queued({ maxUnavailable: 2 }), started()), plan([machine(3), machine(1), machine(2)]));
      expect(types(events)).toEqual(['RolloutPlanned', 'MachineUpdateRequested']);
      const planned = events[0];
      if (planned?.type !== 'RolloutPlanned') throw new Error('expected RolloutPlanned');
      expect(planned.data).toMatchObject({ releaseId: RELEASE_ID, app: APP, image: IMAGE, strategy: 'rolling', maxUnavailableCount: 2 });
      expect(planned.data.entries.map((e) => e.machineId)).toEqual([machineId(1), machineId(2), machineId(3)]);
      expect(requests(events)).toEqual([
        {
          app: APP,
          key: `${RELEASE_ID}:update:${machineId(1)}`,
          kind: 'update',
          machineId: machineId(1),
          releaseId: RELEASE_ID,
          releaseVersion: 3,
          processGroup: 'app',
          region: 'ams',
          config: expect.objectContaining({
            image: PINNED_IMAGE,
            guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
            metadata: { fly_platform_version: 'v2', fly_process_group: 'app', fly_release_id: RELEASE_ID, fly_release_version: '3' },
          }),
          skipLaunch: false,
          waitForHealth: true,
          waitTimeoutMs: 60_000,
        },
      ]);
    });

    it('updates stopped machines alongside the spearhead, left stopped and not waited on', () => {
      const events = when(given(queued(), started()), plan([machine(1), machine(2), machine(3, { state: 'stopped' })]));
      expect(requests(events).map((r) => [r.machineId, r.skipLaunch, r.waitForHealth])).toEqual([
        [machineId(3), true, false],
        [machineId(1), false, true],
      ]);
    });

    it('leaves unmanaged machines alone and creates machines for a group with none', () => {
      const config = appConfig({ primaryRegion: 'iad', services: [{ protocol: 'tcp', internalPort: 8080, ports: [{ port: 80 }], checks: [] }] });
      const events = when(given(queued({ config }), started()), plan([machine(1, { managed: false, region: 'ams' })]));
      const reqs = requests(events);
      expect(reqs.map((r) => [r.kind, r.key, r.region, r.machineId])).toEqual([
        ['create', `${RELEASE_ID}:create:app:1`, 'iad', undefined],
        ['create', `${RELEASE_ID}:create:app:2`, 'iad', undefined],
      ]);
      expect(reqs.every((r) => r.waitForHealth && !r.skipLaunch && r.config?.services?.[0]?.internal_port === 8080)).toBe(true);
    });

    it('completes at once when every machine is already at the release', () => {
      const events = when(given(queued(), started()), plan([machine(1, { releaseId: RELEASE_ID }), machine(2, { managed: false })]));
      expect(events[1]).toEqual({ type: 'ReleaseCompleted', data: { releaseId: RELEASE_ID, app: APP, version: 3, finishedAt: LATER } });
      expect(types(events)).toEqual(['RolloutPlanned', 'ReleaseCompleted']);
    });

    it('requests up to 8 operations at once, without health waits, for immediate', () => {
      const machines = Array.from({ length: 10 }, (_, i) => machine(i + 1));
      const reqs = requests(when(given(queued({ strategy: 'immediate' }), started()), plan(machines)));
      expect(reqs).toHaveLength(8);
      expect(reqs.every((r) => !r.waitForHealth && !r.skipLaunch)).toBe(true);
    });

    it('destroys machines of removed groups before anything else', () => {
      const config = appConfig({ processes: { web: 'bin/web' } });
      const { events } = run(given(queued({ config }), started()), plan([machine(1, { processGroup: 'app' }), machine(2, { processGroup: 'web' })]));
      expect(requests(events).map((r) => [r.kind, r.machineId, r.config])).toEqual([['destroy', machineId(1), undefined]]);
      const next = run(fold(events, given(queued({ config }), started())), {
        type: 'RecordStepOutcome',
        key: `${RELEASE_ID}:destroy:${machineId(1)}`,
        ok: true,
        now: LATER,
      });
      expect(requests(next.events).map((r) => [r.kind, r.machineId])).toEqual([['update', machineId(2)]]);
    });

    it('never re-plans', () => {
      const state = run(given(queued(), started()), plan([machine(1)])).state;
      expect(when(state, plan([machine(1), machine(2)]))).toEqual([]);
    });

    it('rejects planning a release that has not started', () => {
      thenThrows(given(queued()), plan([machine(1)]), 'RELEASE.NOT_STARTED');
    });

    it('does nothing for a release that already failed', () => {
      const state = run(given(queued(), started()), { type: 'FailRelease', reason: 'image not found', now: LATER }).state;
      expect(when(state, plan([machine(1)]))).toEqual([]);
    });
  });

  describe('FailRelease', () => {
    it('fails a release before its rollout', () => {
      expect(when(given(queued(), started()), { type: 'FailRelease', reason: 'image not found', now: LATER })).toEqual([
        { type: 'ReleaseFailed', data: { releaseId: RELEASE_ID, app: APP, version: 3, reason: 'image not found', failures: [], finishedAt: LATER } },
      ]);
    });

    it('does nothing once the release is over', () => {
      const state = run(given(queued(), started()), { type: 'FailRelease', reason: 'x', now: LATER }).state;
      expect(when(state, { type: 'FailRelease', reason: 'y', now: LATER })).toEqual([]);
    });
  });

  describe('RecordStepOutcome', () => {
    const rolling = (n: number, maxUnavailable = 2) =>
      run(given(queued({ maxUnavailable }), started()), plan(Array.from({ length: n }, (_, i) => machine(i + 1)))).state;

    it('opens the pool to max_unavailable once the spearhead succeeded', () => {
      const events = when(rolling(4), ok(1));
      expect(events[0]).toEqual({
        type: 'RolloutStepSucceeded',
        data: { releaseId: RELEASE_ID, app: APP, key: `${RELEASE_ID}:update:${machineId(1)}`, machineId: machineId(1), instanceId: 'new-1' },
      });
      expect(requests(events).map((r) => r.machineId)).toEqual([machineId(2), machineId(3)]);
    });

    it('requests the next machine as each one finishes and completes after the last', () => {
      const { events, state } = run(rolling(3, 1), ok(1), ok(2), ok(3));
      expect(types(events)).toEqual([
        'RolloutStepSucceeded',
        'MachineUpdateRequested',
        'RolloutStepSucceeded',
        'MachineUpdateRequested',
        'RolloutStepSucceeded',
        'ReleaseCompleted',
      ]);
      expect(state.status).toBe('complete');
    });

    it('ignores a duplicate, an unknown key and a key never requested', () => {
      const afterFirst = run(rolling(4), ok(1)).state;
      expect(when(afterFirst, ok(1))).toEqual([]);
      expect(when(afterFirst, { type: 'RecordStepOutcome', key: 'nope', ok: true, machineId: 'x', now: LATER })).toEqual([]);
      expect(when(afterFirst, ok(4))).toEqual([]);
    });

    it('stops requesting after a failure and fails once in-flight operations finish (rolling)', () => {
      const state = run(rolling(5), ok(1)).state; // 2 and 3 in flight
      const onFailure = when(state, failed(2, 'health checks timed out'));
      expect(types(onFailure)).toEqual(['RolloutStepFailed']);
      const { events, state: end } = run(fold(onFailure, state), ok(3));
      expect(types(events)).toEqual(['RolloutStepSucceeded', 'ReleaseFailed']);
      expect(events[1]).toEqual({
        type: 'ReleaseFailed',
        data: {
          releaseId: RELEASE_ID,
          app: APP,
          version: 3,
          reason: `machine ${machineId(2)} update failed: health checks timed out`,
          failures: [{ machineId: machineId(2), key: `${RELEASE_ID}:update:${machineId(2)}`, reason: 'health checks timed out' }],
          finishedAt: LATER,
        },
      });
      expect(end.ops[`${RELEASE_ID}:update:${machineId(4)}`]).toBe('pending');
    });

    it('attempts every machine after failures and then fails with a summary (immediate)', () => {
      const start = run(given(queued({ strategy: 'immediate' }), started()), plan([machine(1), machine(2), machine(3)])).state;
      const { events, state } = run(start, failed(1, 'update-error'), ok(2), failed(3, 'oops'));
      expect(types(events)).toEqual(['RolloutStepFailed', 'RolloutStepSucceeded', 'RolloutStepFailed', 'ReleaseFailed']);
      expect(state.reason).toBe(`2 of 3 machine operations failed; first: machine ${machineId(1)} update failed: update-error`);
      expect(state.failures).toHaveLength(2);
    });

    it('records the id of a created machine and rejects a success that names none', () => {
      const start = run(given(queued(), started()), plan([])).state;
      const key = `${RELEASE_ID}:create:app:1`;
      expect(when(start, { type: 'RecordStepOutcome', key, ok: true, machineId: 'abc', now: LATER })[0]).toEqual({
        type: 'RolloutStepSucceeded',
        data: { releaseId: RELEASE_ID, app: APP, key, machineId: 'abc' },
      });
      thenThrows(start, { type: 'RecordStepOutcome', key, ok: true, now: LATER }, 'RELEASE.INVALID_OUTCOME');
    });

    it('describes a failed create by its group', () => {
      const start = run(given(queued(), started()), plan([])).state;
      const { state } = run(start, { type: 'RecordStepOutcome', key: `${RELEASE_ID}:create:app:1`, ok: false, reason: 'no capacity', now: LATER });
      expect(state.reason).toBe('new app machine create failed: no capacity');
    });

    it('rejects an outcome for a release that does not exist', () => {
      thenThrows(given(), ok(1), 'RELEASE.NOT_FOUND');
    });
  });

  describe('deploy flags (issue 15)', () => {
    const withCommand = appConfig({ deploy: { releaseCommand: 'bin/migrate' }, env: { LOG_LEVEL: 'debug' } });

    it('records what the deploy asked in ReleaseQueued, so planning after a restart does the same', () => {
      const flags = { envOverrides: { LOG_LEVEL: 'debug' }, onlyMachines: [machineId(2)], leaseTimeoutMs: 30_000, updateOnly: true, ha: false, imageLabel: 'v42', skipReleaseCommand: true };
      const [event] = when(given(), { type: 'QueueRelease', ...queued({ config: withCommand }).data, ...flags, now: NOW });
      expect(event).toEqual(queued({ config: withCommand, ...flags }));
      expect(fold([event!])).toMatchObject(flags);
    });

    it('--skip-release-command plans at once: no release command machine is requested', () => {
      const skipped = when(given(queued({ config: withCommand, skipReleaseCommand: true }), started()), plan([machine(1)]));
      expect(types(skipped)).toEqual(['RolloutPlanned', 'MachineUpdateRequested']);
      expect(requests(skipped).map((r) => r.kind)).toEqual(['update']);
      const ran = when(given(queued({ config: withCommand }), started()), plan([machine(1)]));
      expect(types(ran)).toEqual(['ReleaseCommandStarted', 'MachineUpdateRequested']);
      expect(requests(ran).map((r) => r.kind)).toEqual(['release-command']);
    });

    it('--only-machines updates that machine alone, records the N/M outcome, and completes leaving the others as they were', () => {
      const start = given(queued({ onlyMachines: [machineId(2)] }), started());
      const planned = when(start, plan([machine(1), machine(2), machine(3)]));
      expect(planned[0]).toMatchObject({ type: 'RolloutPlanned', data: { filters: { applied: ['--only-machines'], selected: 1, total: 3 } } });
      expect(requests(planned).map((r) => r.machineId)).toEqual([machineId(2)]);
      const { events, state } = run(fold(planned, start), ok(2));
      expect(types(events)).toEqual(['RolloutStepSucceeded', 'ReleaseCompleted']);
      expect(Object.keys(state.ops)).toEqual([`${RELEASE_ID}:update:${machineId(2)}`]);
    });

    it('--lease-timeout goes with every in-place update, and not with creates', () => {
      const events = when(given(queued({ leaseTimeoutMs: 45_000, strategy: 'immediate', config: appConfig({ processes: { app: '', worker: 'w' } }) }), started()), plan([machine(1)]));
      expect(requests(events).map((r) => [r.kind, r.leaseTimeoutMs])).toEqual([
        ['create', undefined],
        ['update', 45_000],
      ]);
      const plain = when(given(queued(), started()), plan([machine(1)]));
      expect(requests(plain)[0]).not.toHaveProperty('leaseTimeoutMs');
    });
  });
});
