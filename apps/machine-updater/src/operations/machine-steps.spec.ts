import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { MachinesApiError, MachinesApiErrorCodes, type Machine, type MachineEvent, type MachineLogs, type MachinesApi } from '@hangar/machines-api';
import { MachineSteps } from './machine-steps';

const APP = 'rc-app';
const ID = '0123456789abcd';

const request: MachineUpdateRequestedData = {
  app: APP,
  key: 'R1:release-command',
  kind: 'release-command',
  releaseId: 'R1',
  releaseVersion: 1,
  processGroup: 'fly_app_release_command',
  region: 'ams',
  config: { image: 'img', init: { cmd: ['bin/migrate'] }, auto_destroy: true },
  skipLaunch: false,
  waitForHealth: false,
  waitTimeoutMs: 5_000,
};

const ev = (type: string, request?: MachineEvent['request']): MachineEvent => ({ type, status: '', source: 'flyd', timestamp: 0, ...(request ? { request } : {}) });
const notFound = () => new MachinesApiError(MachinesApiErrorCodes.NOT_FOUND, 'GET failed: 404', { method: 'GET', path: '/m', status: 404, attempts: 1 });

/** The release command's machine as the API shows it after `wait` returns; counts calls so polling would show. */
class ReleaseMachineApi implements Partial<MachinesApi> {
  gets = 0;
  waits: number[] = [];
  constructor(
    private readonly after: Machine | 'gone',
    private readonly output: MachineLogs = { available: true, lines: ['migrating', 'done'] },
  ) {}
  async create(): Promise<Machine> {
    return { id: ID, name: 'm', state: 'created', region: 'ams', instance_id: 'i1', config: request.config!, created_at: '', updated_at: '' };
  }
  async wait(_app: string, _id: string, opts: { timeoutSec: number }): Promise<void> {
    this.waits.push(opts.timeoutSec);
  }
  async get(): Promise<Machine> {
    this.gets += 1;
    if (this.after === 'gone') throw notFound();
    return this.after;
  }
  async logs(): Promise<MachineLogs> {
    return this.output;
  }
}

const ended = (events: MachineEvent[]): Machine => ({ id: ID, name: 'm', state: 'destroyed', region: 'ams', instance_id: 'i1', config: request.config!, created_at: '', updated_at: '', events });

async function run(api: ReleaseMachineApi) {
  const sut = new MachineSteps(api as unknown as MachinesApi);
  return sut.releaseCommand(request, async () => undefined);
}

describe(MachineSteps.name, () => {
  it('waits with the Machines API wait (one bounded call), never polling, and fails on the exit code nested as fly-go reads it', async () => {
    const api = new ReleaseMachineApi(ended([ev('destroy'), ev('exit', { MonitorEvent: { exit_event: { exit_code: 1 } } }), ev('start')]));
    const result = await run(api);
    expect(result).toMatchObject({ ok: false, exitCode: 1, logs: ['migrating', 'done'], reason: `machine ${ID} exited with non-zero status of 1` });
    expect(api.waits).toEqual([5]);
    expect(api.gets).toBe(1);
  });

  it('succeeds on exit code 0 with its lines', async () => {
    const api = new ReleaseMachineApi(ended([ev('exit', { exit_event: { exit_code: 0 } }), ev('start')]));
    expect(await run(api)).toEqual({ ok: true, machineId: ID, exitCode: 0, logs: ['migrating', 'done'] });
  });

  it('fails, never succeeds, when the machine is gone (404) after the wait', async () => {
    const result = await run(new ReleaseMachineApi('gone'));
    expect(result).toMatchObject({ ok: false, machineId: ID, reason: expect.stringContaining('outcome is unknown') });
    expect(result).not.toHaveProperty('exitCode');
  });

  it('fails when the machine ended without an exit event', async () => {
    const result = await run(new ReleaseMachineApi(ended([ev('destroy'), ev('start')])));
    expect(result).toMatchObject({ ok: false, reason: `release command machine ${ID} is destroyed without an exit event: its outcome is unknown` });
  });

  it('says why there are no lines when the provider serves none, instead of an empty output', async () => {
    const api = new ReleaseMachineApi(ended([ev('exit', { exit_event: { exit_code: 2 } }), ev('start')]), { available: false, reason: 'not authorized to read app logs' });
    expect(await run(api)).toMatchObject({ ok: false, exitCode: 2, logs: [], logsUnavailable: 'not authorized to read app logs' });
  });

  it('lets a failed read throw (the operation is retried, not judged)', async () => {
    const api = new ReleaseMachineApi(ended([]));
    api.get = async () => {
      throw new MachinesApiError(MachinesApiErrorCodes.API_ERROR, 'GET failed: 503', { method: 'GET', path: '/m', status: 503, attempts: 5 });
    };
    await expect(run(api)).rejects.toThrow('503');
  });
});
