import { HangarError } from '@hangar/contracts';
import type { AppCommand, ProviderAppRecord } from './app.commands';
import { appDecider, type AppState } from './app.decider';
import type { AppEvent } from './app.events';

const NOW = '2024-05-01T12:00:00.000Z';
const APP = 'legacy-api';
const FLY: ProviderAppRecord = { provider: 'fly', org: 'acme', providerApp: 'imported' };
const given = (...events: AppEvent[]): AppState => events.reduce(appDecider.evolve, appDecider.initialState());

describe('appDecider: provider apps (issue 14 point 1)', () => {
  it('records the provider, org and whether apps create made the provider app', () => {
    const events = appDecider.decide({ type: 'CreateApp', app: APP, platformVersion: 'v2', provider: { provider: 'fly', org: 'acme', providerApp: 'existing' }, now: NOW }, given());
    expect(events).toEqual([{ type: 'AppCreated', data: { app: APP, platformVersion: 'v2', createdAt: NOW, provider: 'fly', org: 'acme', providerApp: 'existing' } }]);
    expect(given(...events).org).toBe('acme');
  });

  it('imports v2 machines as managed at their release, the rest unmanaged, and continues versions after the highest', () => {
    const command: AppCommand = {
      type: 'ImportApp',
      app: APP,
      provider: FLY,
      machines: [
        { id: '0a0a0a0a0a0a01', managed: true, processGroup: 'app', releaseVersion: 7 },
        { id: '0a0a0a0a0a0a02', managed: true, processGroup: 'worker', releaseVersion: 5 },
        { id: '0a0a0a0a0a0a03', managed: false, processGroup: 'app' },
        { id: '0a0a0a0a0a0a04', managed: false, processGroup: 'app', releaseVersion: 99 },
      ],
      now: NOW,
    };
    const events = appDecider.decide(command, given());
    expect(events).toEqual([
      { type: 'AppCreated', data: { app: APP, platformVersion: 'v2', createdAt: NOW, provider: 'fly', org: 'acme', providerApp: 'imported' } },
      {
        type: 'AppImported',
        data: {
          app: APP,
          org: 'acme',
          releaseVersion: 7,
          managed: [
            { machineId: '0a0a0a0a0a0a01', processGroup: 'app', releaseVersion: 7 },
            { machineId: '0a0a0a0a0a0a02', processGroup: 'worker', releaseVersion: 5 },
          ],
          unmanaged: ['0a0a0a0a0a0a03', '0a0a0a0a0a0a04'],
        },
      },
    ]);
    const state = given(...events);
    expect(state).toMatchObject({ exists: true, platformVersion: 'v2', lastVersion: 7, importedVersion: 7 });
    const next = appDecider.decide({ type: 'EnqueueRelease', app: APP, releaseId: 'r8', trigger: 'cli' }, state);
    expect(next[0]).toMatchObject({ type: 'ReleaseEnqueued', data: { version: 8 } });
  });

  it('starts from v1 when no machine carries a release', () => {
    const events = appDecider.decide({ type: 'ImportApp', app: APP, provider: FLY, machines: [{ id: '0a0a0a0a0a0a03', managed: false, processGroup: 'app' }], now: NOW }, given());
    expect(events[1]).toMatchObject({ type: 'AppImported', data: { releaseVersion: 0, managed: [], unmanaged: ['0a0a0a0a0a0a03'] } });
    expect(given(...events).lastVersion).toBe(0);
  });

  it('refuses to import over an app Hangar has, or had', () => {
    const created: AppEvent = { type: 'AppCreated', data: { app: APP, platformVersion: 'v2', createdAt: NOW } };
    for (const state of [given(created), given(created, { type: 'AppDestroyed', data: { app: APP, destroyedAt: NOW, machines: [], volumes: [] } })]) {
      let caught: unknown;
      try {
        appDecider.decide({ type: 'ImportApp', app: APP, machines: [], now: NOW }, state);
      } catch (error) {
        caught = error;
      }
      expect((caught as HangarError).code).toBe('RELEASE.APP_EXISTS');
    }
  });
});
