import { HangarError } from '@hangar/contracts';
import type { AppCommand } from './app.commands';
import { appDecider, type AppState } from './app.decider';
import type { AppEvent } from './app.events';

const NOW = '2024-05-01T12:00:00.000Z';
const APP = 'dry-pond-1475';

function given(...events: AppEvent[]): AppState {
  return events.reduce(appDecider.evolve, appDecider.initialState());
}

function when(state: AppState, command: AppCommand): AppEvent[] {
  return appDecider.decide(command, state);
}

function thenThrows(state: AppState, command: AppCommand, code: string): void {
  let caught: unknown;
  try {
    appDecider.decide(command, state);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HangarError);
  expect((caught as HangarError).code).toBe(code);
}

const created: AppEvent = { type: 'AppCreated', data: { app: APP, platformVersion: 'v2', createdAt: NOW } };
const enqueued = (releaseId: string, version: number): AppEvent => ({
  type: 'ReleaseEnqueued',
  data: { app: APP, releaseId, version, trigger: 'cli' },
});
const acquired = (releaseId: string, version: number): AppEvent => ({ type: 'AppLockAcquired', data: { app: APP, releaseId, version } });

describe('appDecider', () => {
  describe('CreateApp', () => {
    it('creates an app that does not exist yet', () => {
      expect(when(given(), { type: 'CreateApp', app: APP, platformVersion: 'legacy', now: new Date(NOW) })).toEqual([
        { type: 'AppCreated', data: { app: APP, platformVersion: 'legacy', createdAt: NOW } },
      ]);
    });

    it('rejects an app that exists', () => {
      thenThrows(given(created), { type: 'CreateApp', app: APP, platformVersion: 'v2', now: NOW }, 'RELEASE.APP_EXISTS');
    });

    it('rejects a name that is not an app name', () => {
      thenThrows(given(), { type: 'CreateApp', app: 'Bad_Name', platformVersion: 'v2', now: NOW }, 'REQUEST.INVALID');
    });
  });

  describe('EnqueueRelease', () => {
    it('gives the first release v1 and the lock when nothing runs', () => {
      expect(when(given(created), { type: 'EnqueueRelease', app: APP, releaseId: 'r1', trigger: 'api' })).toEqual([
        { type: 'ReleaseEnqueued', data: { app: APP, releaseId: 'r1', version: 1, trigger: 'api' } },
        { type: 'AppLockAcquired', data: { app: APP, releaseId: 'r1', version: 1 } },
      ]);
    });

    it('queues behind the running release with the next version', () => {
      const state = given(created, enqueued('r1', 1), acquired('r1', 1));
      expect(when(state, { type: 'EnqueueRelease', app: APP, releaseId: 'r2', trigger: 'registry' })).toEqual([
        { type: 'ReleaseEnqueued', data: { app: APP, releaseId: 'r2', version: 2, trigger: 'registry' } },
      ]);
    });

    it('never reuses a version, even after releases finished', () => {
      const state = given(
        created,
        enqueued('r1', 1),
        acquired('r1', 1),
        { type: 'AppLockReleased', data: { app: APP, releaseId: 'r1', version: 1, status: 'failed' } },
      );
      const events = when(state, { type: 'EnqueueRelease', app: APP, releaseId: 'r2', trigger: 'cli' });
      expect(events[0]).toEqual({ type: 'ReleaseEnqueued', data: { app: APP, releaseId: 'r2', version: 2, trigger: 'cli' } });
      expect(events[1]).toEqual({ type: 'AppLockAcquired', data: { app: APP, releaseId: 'r2', version: 2 } });
    });

    it('ignores a release it already enqueued (retried command)', () => {
      expect(when(given(created, enqueued('r1', 1), acquired('r1', 1)), { type: 'EnqueueRelease', app: APP, releaseId: 'r1', trigger: 'cli' })).toEqual([]);
      expect(when(given(created, enqueued('r1', 1), acquired('r1', 1), enqueued('r2', 2)), { type: 'EnqueueRelease', app: APP, releaseId: 'r2', trigger: 'cli' })).toEqual([]);
    });

    it('rejects a release for an app that does not exist', () => {
      thenThrows(given(), { type: 'EnqueueRelease', app: APP, releaseId: 'r1', trigger: 'cli' }, 'RELEASE.APP_NOT_FOUND');
    });
  });

  describe('FinishRelease', () => {
    it('releases the lock and hands it to the oldest queued release', () => {
      const state = given(created, enqueued('r1', 1), acquired('r1', 1), enqueued('r2', 2), enqueued('r3', 3));
      expect(when(state, { type: 'FinishRelease', releaseId: 'r1', status: 'complete' })).toEqual([
        { type: 'AppLockReleased', data: { app: APP, releaseId: 'r1', version: 1, status: 'complete' } },
        { type: 'AppLockAcquired', data: { app: APP, releaseId: 'r2', version: 2 } },
      ]);
    });

    it('only releases the lock when nothing is queued', () => {
      const state = given(created, enqueued('r1', 1), acquired('r1', 1));
      expect(when(state, { type: 'FinishRelease', releaseId: 'r1', status: 'failed' })).toEqual([
        { type: 'AppLockReleased', data: { app: APP, releaseId: 'r1', version: 1, status: 'failed' } },
      ]);
    });

    it('ignores a release that does not hold the lock (late or duplicate)', () => {
      const state = given(created, enqueued('r1', 1), acquired('r1', 1), enqueued('r2', 2));
      expect(when(state, { type: 'FinishRelease', releaseId: 'r2', status: 'complete' })).toEqual([]);
      expect(when(state, { type: 'FinishRelease', releaseId: 'nope', status: 'complete' })).toEqual([]);
      expect(when(given(created), { type: 'FinishRelease', releaseId: 'r1', status: 'complete' })).toEqual([]);
    });

    it('takes a cancelled queued release out of the queue, leaving the lock alone', () => {
      const state = given(created, enqueued('r1', 1), acquired('r1', 1), enqueued('r2', 2), enqueued('r3', 3));
      const events = when(state, { type: 'FinishRelease', releaseId: 'r2', status: 'cancelled' });
      expect(events).toEqual([{ type: 'ReleaseDequeued', data: { app: expect.any(String), releaseId: 'r2', version: 2 } }]);
      const after = events.reduce(appDecider.evolve, state);
      expect(after.queue.map((q) => q.releaseId)).toEqual(['r3']);
      expect(after.running?.releaseId).toBe('r1');
    });

    it('runs three releases one at a time in FIFO order', () => {
      let state = given(created);
      const holders: string[] = [];
      const apply = (events: AppEvent[]) => {
        for (const e of events) {
          if (e.type === 'AppLockAcquired') holders.push(e.data.releaseId);
          state = appDecider.evolve(state, e);
        }
      };
      for (const id of ['r1', 'r2', 'r3']) apply(when(state, { type: 'EnqueueRelease', app: APP, releaseId: id, trigger: 'cli' }));
      expect(state.running).toEqual({ releaseId: 'r1', version: 1 });
      expect(state.queue).toEqual([
        { releaseId: 'r2', version: 2 },
        { releaseId: 'r3', version: 3 },
      ]);

      apply(when(state, { type: 'FinishRelease', releaseId: 'r1', status: 'complete' }));
      expect(state.running?.releaseId).toBe('r2');
      apply(when(state, { type: 'FinishRelease', releaseId: 'r2', status: 'failed' }));
      expect(state.running?.releaseId).toBe('r3');
      apply(when(state, { type: 'FinishRelease', releaseId: 'r3', status: 'complete' }));

      expect(holders).toEqual(['r1', 'r2', 'r3']);
      expect(state.running).toBeUndefined();
      expect(state.queue).toEqual([]);
      expect(state.lastComplete).toEqual({ releaseId: 'r3', version: 3 });
      expect(state.lastVersion).toBe(3);
    });
  });

  it('evolve keeps the last complete release across a failed one', () => {
    const state = given(
      created,
      enqueued('r1', 1),
      acquired('r1', 1),
      { type: 'AppLockReleased', data: { app: APP, releaseId: 'r1', version: 1, status: 'complete' } },
      enqueued('r2', 2),
      acquired('r2', 2),
      { type: 'AppLockReleased', data: { app: APP, releaseId: 'r2', version: 2, status: 'failed' } },
    );
    expect(state.lastComplete).toEqual({ releaseId: 'r1', version: 1 });
    expect(state).toMatchObject({ exists: true, app: APP, platformVersion: 'v2', createdAt: NOW });
  });
});
