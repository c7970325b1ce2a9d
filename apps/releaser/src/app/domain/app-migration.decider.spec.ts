import type { AppCommand } from './app.commands';
import { appDecider, type AppState } from './app.decider';
import type { AppEvent } from './app.events';

const NOW = '2024-05-01T12:00:00.000Z';
const APP = 'old-machines-1';

const given = (...events: AppEvent[]): AppState => events.reduce(appDecider.evolve, appDecider.initialState());
const when = (state: AppState, command: AppCommand): AppEvent[] => appDecider.decide(command, state);
const legacy: AppEvent = { type: 'AppCreated', data: { app: APP, platformVersion: 'legacy', createdAt: NOW } };
const v2: AppEvent = { type: 'AppCreated', data: { app: APP, platformVersion: 'v2', createdAt: NOW } };

describe('appDecider: legacy apps (DESIGN §6.7)', () => {
  it('migrates a legacy app once, recording the machines it adopted', () => {
    const events = when(given(legacy), { type: 'MigrateToV2', app: APP, machineIds: ['0a0a0a0a0a0a0a', '0b0b0b0b0b0b0b'] });
    expect(events).toEqual([{ type: 'AppMigratedToV2', data: { app: APP, machineIds: ['0a0a0a0a0a0a0a', '0b0b0b0b0b0b0b'] } }]);
    expect(given(legacy, ...events).platformVersion).toBe('v2');
  });

  it('changes nothing for an app that is already v2 (a concurrent confirmation, or a v2 app)', () => {
    const migrated = given(legacy, { type: 'AppMigratedToV2', data: { app: APP, machineIds: [] } });
    expect(when(migrated, { type: 'MigrateToV2', app: APP, machineIds: ['0c0c0c0c0c0c0c'] })).toEqual([]);
    expect(when(given(v2), { type: 'MigrateToV2', app: APP, machineIds: [] })).toEqual([]);
  });

  it('rejects migrating an app that does not exist', () => {
    expect(() => when(given(), { type: 'MigrateToV2', app: APP, machineIds: [] })).toThrow(expect.objectContaining({ code: 'RELEASE.APP_NOT_FOUND' }));
  });
});

describe('appDecider: IP addresses (DESIGN §6.6)', () => {
  const allocated: AppEvent = { type: 'IpAllocated', data: { app: APP, address: '192.0.2.2', type: 'v4', shared: false, allocatedAt: NOW } };

  it('records an allocation without touching the deploy queue', () => {
    const state = given(v2);
    const events = when(state, { type: 'AllocateIp', app: APP, address: '192.0.2.2', ipType: 'v4', shared: false, now: new Date(NOW) });
    expect(events).toEqual([allocated]);
    const after = given(v2, ...events);
    expect(after.ips).toEqual([{ address: '192.0.2.2', type: 'v4', shared: false, allocatedAt: NOW }]);
    expect({ ...after, ips: [] }).toEqual(state);
  });

  it('rejects the same address twice and a second shared IPv4', () => {
    expect(() => when(given(v2, allocated), { type: 'AllocateIp', app: APP, address: '192.0.2.2', ipType: 'v4', shared: false, now: NOW })).toThrow(
      expect.objectContaining({ code: 'IP.ALREADY_ALLOCATED' }),
    );
    const shared: AppEvent = { type: 'IpAllocated', data: { app: APP, address: '192.0.2.1', type: 'v4', shared: true, allocatedAt: NOW } };
    expect(() => when(given(v2, shared), { type: 'AllocateIp', app: APP, address: '192.0.2.1', ipType: 'v4', shared: true, now: NOW })).toThrow(
      expect.objectContaining({ code: 'IP.ALREADY_ALLOCATED', message: expect.stringContaining('already has the shared IPv4 address 192.0.2.1') }),
    );
  });

  it('releases an address it holds, and only that', () => {
    expect(when(given(v2, allocated), { type: 'ReleaseIp', app: APP, address: '192.0.2.2' })).toEqual([
      { type: 'IpReleased', data: { app: APP, address: '192.0.2.2', type: 'v4', shared: false } },
    ]);
    expect(given(v2, allocated, { type: 'IpReleased', data: { app: APP, address: '192.0.2.2', type: 'v4', shared: false } }).ips).toEqual([]);
    expect(() => when(given(v2), { type: 'ReleaseIp', app: APP, address: '192.0.2.2' })).toThrow(expect.objectContaining({ code: 'IP.NOT_FOUND' }));
  });
});
