import { HangarError } from '@hangar/contracts';
import type { EventStore, NewEvent } from '@hangar/event-store';
import { MachinesApiError, MachinesApiErrorCodes, type Machine, type MachinesApi } from '@hangar/machines-api';
import { MachinePowerHandler } from './machine-power.handler';

const APP = 'demo';
const ID = '0123456789abcd';

/** The store as the handler uses it: streams read, events appended (recorded per stream). */
class FakeStore {
  readonly streams = new Map<string, NewEvent[]>();

  async readStream(streamId: string) {
    return (this.streams.get(streamId) ?? []).map((e) => ({ ...e, metadata: e.metadata ?? {} }));
  }

  async append(streamId: string, events: NewEvent[]) {
    this.streams.set(streamId, [...(this.streams.get(streamId) ?? []), ...events]);
    return { nextExpectedVersion: 0, lastGlobalPosition: 0 };
  }

  types(streamId: string): string[] {
    return (this.streams.get(streamId) ?? []).map((e) => e.type);
  }
}

function machineOf(state: Machine['state'], managed: boolean): Machine {
  return {
    id: ID,
    name: ID,
    state,
    region: 'local',
    instance_id: 'i1',
    config: { image: 'web:v1', metadata: managed ? { fly_platform_version: 'v2', fly_process_group: 'web' } : {} },
    created_at: '',
    updated_at: '',
  };
}

describe(MachinePowerHandler.name, () => {
  let store: FakeStore;
  let api: jest.Mocked<Pick<MachinesApi, 'get' | 'acquireLease' | 'releaseLease' | 'start' | 'stop' | 'restart'>>;
  let sut: MachinePowerHandler;
  const lockHeld = () =>
    store.append(`app-${APP}`, [{ type: 'AppLockAcquired', data: { app: APP, releaseId: 'r7', version: 7 } }]);

  beforeEach(() => {
    store = new FakeStore();
    api = {
      get: jest.fn().mockResolvedValueOnce(machineOf('started', true)).mockResolvedValue(machineOf('stopped', true)),
      acquireLease: jest.fn().mockResolvedValue({ nonce: 'n1', expires_at: 0, owner: 'me' }),
      releaseLease: jest.fn().mockResolvedValue(undefined),
      start: jest.fn().mockResolvedValue(undefined),
      stop: jest.fn().mockResolvedValue(undefined),
      restart: jest.fn().mockResolvedValue(undefined),
    };
    sut = new MachinePowerHandler(api as unknown as MachinesApi, store as unknown as EventStore);
  });

  it('stops under the lease with the signal and timeout, recording the request before and the outcome after, with the actor', async () => {
    const result = await sut.stop({ app: APP, machineId: ID, signal: 'SIGTERM', timeout: '30s', actor: 'alice' });

    expect(result).toMatchObject({ previousState: 'started', machine: { id: ID, state: 'stopped', managed: true } });
    expect(api.acquireLease).toHaveBeenCalledWith(APP, ID, 13 + 30, 'hangar machine stop by alice');
    expect(api.stop).toHaveBeenCalledWith(APP, ID, 'n1', { signal: 'SIGTERM', timeout: '30s' });
    expect(api.releaseLease).toHaveBeenCalledWith(APP, ID, 'n1');
    const events = store.streams.get(`machine-${ID}`) ?? [];
    expect(events.map((e) => e.type)).toEqual(['MachineActionRequested', 'MachineStopped']);
    expect(events[1]).toMatchObject({
      data: { app: APP, machineId: ID, action: 'stop', managed: true, processGroup: 'web', previousState: 'started', state: 'stopped', signal: 'SIGTERM', timeout: '30s' },
      metadata: { actor: 'alice' },
    });
  });

  it('refuses a managed machine while a release holds the deploy lock, before taking any lease', async () => {
    await lockHeld();
    const error = await sut.restart({ app: APP, machineId: ID }).catch((e: unknown) => e as HangarError);
    expect(error).toMatchObject({ code: 'MACHINE.RELEASE_CONFLICT', message: expect.stringContaining('release v7 of demo is rolling out') });
    expect(api.acquireLease).not.toHaveBeenCalled();
    expect(store.types(`machine-${ID}`)).toEqual([]);
  });

  it('starts an unmanaged machine whatever a release is doing', async () => {
    await lockHeld();
    api.get.mockReset().mockResolvedValueOnce(machineOf('stopped', false)).mockResolvedValue(machineOf('starting', false));
    await expect(sut.start({ app: APP, machineId: ID })).resolves.toMatchObject({ previousState: 'stopped', machine: { state: 'starting' } });
    expect(api.start).toHaveBeenCalledWith(APP, ID, 'n1');
    expect(store.types(`machine-${ID}`)).toEqual(['MachineActionRequested', 'MachineStarted']);
  });

  it('turns a lease someone else holds into MACHINE.LEASE_HELD at once, touching and recording nothing', async () => {
    api.acquireLease.mockRejectedValue(
      new MachinesApiError(MachinesApiErrorCodes.LEASE_HELD, 'POST lease failed: 409', { method: 'POST', path: '/lease', status: 409, attempts: 1, apiMessage: 'lease currently held by fleet-user (hangar release r7)' }),
    );
    const error = await sut.stop({ app: APP, machineId: ID }).catch((e: unknown) => e as HangarError);
    expect(error).toMatchObject({ code: 'MACHINE.LEASE_HELD', message: expect.stringContaining('(lease currently held by fleet-user (hangar release r7))') });
    expect(api.acquireLease).toHaveBeenCalledTimes(1);
    expect(api.stop).not.toHaveBeenCalled();
    expect(store.types(`machine-${ID}`)).toEqual([]);
  });

  it('records a failed call as MachineActionFailed, lets go of the lease and passes the error on', async () => {
    api.restart.mockRejectedValue(new Error('POST restart failed: 500 boom'));
    await expect(sut.restart({ app: APP, machineId: ID })).rejects.toThrow('boom');
    expect(store.types(`machine-${ID}`)).toEqual(['MachineActionRequested', 'MachineActionFailed']);
    expect(api.releaseLease).toHaveBeenCalledWith(APP, ID, 'n1');
  });

  it('names the machine and app when the Machines API has no such machine, or only a destroyed one', async () => {
    api.get.mockReset().mockRejectedValueOnce(new MachinesApiError(MachinesApiErrorCodes.NOT_FOUND, 'GET failed: 404', { method: 'GET', path: '/m', status: 404, attempts: 1 }));
    await expect(sut.start({ app: APP, machineId: ID })).rejects.toMatchObject({ code: 'MACHINE.NOT_FOUND', message: `machine ${ID} not found in app ${APP}` });
    api.get.mockResolvedValueOnce(machineOf('destroyed', true));
    await expect(sut.stop({ app: APP, machineId: ID })).rejects.toMatchObject({ code: 'MACHINE.NOT_FOUND' });
  });
});
