import type { AppCommand, DestroyApp } from './app.commands';
import { appDecider, type AppState } from './app.decider';
import type { AppEvent } from './app.events';

const NOW = '2024-05-01T12:00:00.000Z';
const LATER = '2024-06-01T08:30:00.000Z';
const APP = 'gone-soon-7';

const given = (...events: AppEvent[]): AppState => events.reduce(appDecider.evolve, appDecider.initialState());
const when = (state: AppState, command: AppCommand): AppEvent[] => appDecider.decide(command, state);
const created: AppEvent = { type: 'AppCreated', data: { app: APP, platformVersion: 'v2', createdAt: NOW } };
const enqueued = (releaseId: string, version: number): AppEvent => ({ type: 'ReleaseEnqueued', data: { app: APP, releaseId, version, trigger: 'cli' } });
const acquired = (releaseId: string, version: number): AppEvent => ({ type: 'AppLockAcquired', data: { app: APP, releaseId, version } });
const releasedLock = (releaseId: string, version: number): AppEvent => ({ type: 'AppLockReleased', data: { app: APP, releaseId, version, status: 'complete' } });
const destroy: DestroyApp = {
  type: 'DestroyApp',
  app: APP,
  machines: [{ id: '0a0a0a0a0a0a0a', managed: true, processGroup: 'app', region: 'local' }],
  volumes: [{ id: 'vol_0123456789abcdef', name: 'data', region: 'local' }],
  now: LATER,
};
const destroyed: AppEvent = { type: 'AppDestroyed', data: { app: APP, destroyedAt: LATER, machines: [...destroy.machines], volumes: [...destroy.volumes] } };

describe('appDecider: apps destroy', () => {
  it('destroys an idle app, recording the machines and volumes it had', () => {
    expect(when(given(created, enqueued('r1', 1), acquired('r1', 1), releasedLock('r1', 1)), destroy)).toEqual([destroyed]);
  });

  it('refuses while a release runs or waits, naming them', () => {
    const running = given(created, enqueued('r1', 1), acquired('r1', 1), enqueued('r2', 2));
    expect(() => when(running, destroy)).toThrow(expect.objectContaining({ code: 'RELEASE.APP_BUSY', details: { app: APP, releases: [1, 2] } }));
    expect(() => when(running, destroy)).toThrow(/v1, v2/);
  });

  it('refuses an app that does not exist, and one destroyed already, saying when', () => {
    expect(() => when(given(), destroy)).toThrow(expect.objectContaining({ code: 'RELEASE.APP_NOT_FOUND' }));
    expect(() => when(given(created, destroyed), destroy)).toThrow(expect.objectContaining({ code: 'RELEASE.APP_NOT_FOUND', message: expect.stringContaining(`destroyed at ${LATER}`) }));
  });

  it('leaves a destroyed app gone for good: no release, no address, and its name is not used again', () => {
    const state = given(created, destroyed);
    expect(state.exists).toBe(false);
    expect(() => when(state, { type: 'EnqueueRelease', app: APP, releaseId: 'r9', trigger: 'cli' })).toThrow(expect.objectContaining({ code: 'RELEASE.APP_NOT_FOUND' }));
    expect(() => when(state, { type: 'AllocateIp', app: APP, address: '192.0.2.9', ipType: 'v4', shared: false, now: LATER })).toThrow(
      expect.objectContaining({ code: 'RELEASE.APP_NOT_FOUND' }),
    );
    expect(() => when(state, { type: 'CreateApp', app: APP, platformVersion: 'v2', now: LATER })).toThrow(
      expect.objectContaining({ code: 'RELEASE.APP_EXISTS', message: expect.stringContaining('not used again') }),
    );
  });
});
