import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { MachinesApiError, MachinesApiErrorCodes, type LaunchMachineInput, type Lease, type Machine, type MachinesApi } from '@hangar/machines-api';
import { MachineOperationExecutor, type ExecutorHooks } from './machine-operation.executor';

const APP = 'chaos-app';
const ID = '0123456789abcd';
const RELEASE = '01HZRELEASE0000000000000001';

/**
 * One machine behind a Machines API that keeps leases and counts updates: what "updated exactly
 * once" is measured against. `loseNextUpdateAnswer` applies an update and then answers like a dropped
 * connection, as when fleet or the network dies mid-call.
 */
class OneMachineApi implements Partial<MachinesApi> {
  machine: Machine = {
    id: ID,
    name: `machine-${ID}`,
    state: 'started',
    region: 'local',
    instance_id: 'instance-0',
    config: { image: 'old', metadata: { fly_platform_version: 'v2', fly_release_id: 'older' }, checks: { alive: { type: 'tcp', port: 8080 } } },
    checks: [{ name: 'alive', status: 'passing', output: '', updated_at: '' }],
    created_at: '',
    updated_at: '',
  };
  lease: { nonce: string; until: number } | undefined;
  updates: { nonce?: string }[] = [];
  acquired = 0;
  /** The TTL of every acquire and refresh, seconds. */
  ttls: number[] = [];
  released: string[] = [];
  loseNextUpdateAnswer = false;
  private nonces = 0;

  async get(): Promise<Machine> {
    return structuredClone(this.machine);
  }

  async acquireLease(_app: string, _id: string, ttlSec: number): Promise<Lease> {
    if (this.lease && this.lease.until > Date.now()) throw leaseHeld();
    this.acquired += 1;
    this.ttls.push(ttlSec);
    this.lease = { nonce: `nonce-${++this.nonces}`, until: Date.now() + ttlSec * 1000 };
    return { nonce: this.lease.nonce, expires_at: 0, owner: 'me' };
  }

  async refreshLease(_app: string, _id: string, nonce: string, ttlSec: number): Promise<Lease> {
    if (!this.lease || this.lease.until <= Date.now() || this.lease.nonce !== nonce) throw leaseHeld();
    this.ttls.push(ttlSec);
    this.lease.until = Date.now() + ttlSec * 1000;
    return { nonce, expires_at: 0, owner: 'me' };
  }

  async releaseLease(_app: string, _id: string, nonce: string): Promise<void> {
    this.released.push(nonce);
    if (this.lease?.nonce === nonce) this.lease = undefined;
  }

  async update(_app: string, _id: string, input: LaunchMachineInput, nonce?: string): Promise<Machine> {
    if (this.lease && this.lease.until > Date.now() && this.lease.nonce !== nonce) throw leaseHeld();
    this.updates.push({ nonce });
    this.machine = { ...this.machine, config: input.config, instance_id: `instance-${this.updates.length}` };
    if (this.loseNextUpdateAnswer) {
      this.loseNextUpdateAnswer = false;
      throw new MachinesApiError(MachinesApiErrorCodes.API_ERROR, 'POST machine failed: fetch failed (ECONNRESET)', { method: 'POST', path: '/x', status: 0, attempts: 1 });
    }
    return structuredClone(this.machine);
  }
}

function leaseHeld(): MachinesApiError {
  return new MachinesApiError(MachinesApiErrorCodes.LEASE_HELD, 'lease currently held', { method: 'POST', path: '/lease', status: 409, attempts: 1 });
}

function request(): MachineUpdateRequestedData {
  return {
    app: APP,
    key: `${RELEASE}:update:${ID}`,
    kind: 'update',
    machineId: ID,
    releaseId: RELEASE,
    releaseVersion: 2,
    processGroup: 'app',
    region: 'local',
    config: { image: 'new', metadata: { fly_platform_version: 'v2', fly_release_id: RELEASE }, checks: { alive: { type: 'tcp', port: 8080 } } },
    skipLaunch: false,
    waitForHealth: true,
    waitTimeoutMs: 5000,
  };
}

describe(MachineOperationExecutor.name, () => {
  let api: OneMachineApi;
  let sut: MachineOperationExecutor;
  let recorded: { machineId: string; nonce?: string }[];
  const hooks = (resumeNonce?: string): ExecutorHooks => ({
    beforeMutation: async (info) => void recorded.push(info),
    ...(resumeNonce ? { resumeNonce } : {}),
  });

  beforeEach(() => {
    api = new OneMachineApi();
    sut = new MachineOperationExecutor(api as unknown as MachinesApi);
    recorded = [];
  });

  it('records the lease nonce before the update made under it, and updates once', async () => {
    const result = await sut.execute(request(), hooks());
    expect(result).toMatchObject({ ok: true, machineId: ID, instanceId: 'instance-1' });
    expect(recorded).toEqual([{ machineId: ID, nonce: 'nonce-1' }]);
    expect(api.updates).toEqual([{ nonce: 'nonce-1' }]);
    expect(api.ttls).toEqual([13]);
  });

  it('leases for the release’s --lease-timeout, in whole seconds, when resuming too', async () => {
    await sut.execute({ ...request(), leaseTimeoutMs: 45_500 }, hooks());
    expect(api.ttls).toEqual([46]);
    api.machine = { ...api.machine, config: { ...api.machine.config, metadata: { fly_release_id: 'older' } } };
    api.lease = { nonce: 'recorded-nonce', until: Date.now() + 13_000 };
    await sut.execute({ ...request(), leaseTimeoutMs: 30_000 }, hooks('recorded-nonce'));
    expect(api.ttls).toEqual([46, 30]);
  });

  it('does not update a machine already on the release again (a redelivery): it waits for health and lets go of the lease an interrupted run left', async () => {
    await sut.execute(request(), hooks());
    api.lease = { nonce: 'nonce-of-the-dead-run', until: Date.now() + 13_000 };
    const again = await sut.execute(request(), hooks('nonce-of-the-dead-run'));
    expect(again).toMatchObject({ ok: true, instanceId: 'instance-1' });
    expect(api.updates).toHaveLength(1);
    expect(api.released).toContain('nonce-of-the-dead-run');
    expect(api.lease).toBeUndefined();
  });

  it('resumes under the recorded lease of an interrupted run instead of failing on "lease held"', async () => {
    api.lease = { nonce: 'recorded-nonce', until: Date.now() + 13_000 };
    const result = await sut.execute(request(), hooks('recorded-nonce'));
    expect(result).toMatchObject({ ok: true });
    expect(api.acquired).toBe(0);
    expect(api.updates).toEqual([{ nonce: 'recorded-nonce' }]);
  });

  it('waits out a lease a run left before recording it, then updates once', async () => {
    api.lease = { nonce: 'unrecorded', until: Date.now() + 700 };
    const result = await sut.execute(request(), hooks());
    expect(result).toMatchObject({ ok: true });
    expect(api.updates).toHaveLength(1);
  });

  it('leaves an update whose answer was lost undecided, and its retry does not update again', async () => {
    api.loseNextUpdateAnswer = true;
    const first = await sut.execute(request(), hooks());
    expect(first).toMatchObject({ ok: false, retryable: true });
    const retry = await sut.execute(request(), hooks(recorded[0]?.nonce));
    expect(retry).toMatchObject({ ok: true, instanceId: 'instance-1' });
    expect(api.updates).toHaveLength(1);
  });

  it('fails for good on what the machine does: an update it refuses is not retried', async () => {
    api.update = async () => {
      throw new MachinesApiError(MachinesApiErrorCodes.API_ERROR, 'POST machine failed: 422 invalid config', { method: 'POST', path: '/x', status: 422, attempts: 1 });
    };
    const result = await sut.execute(request(), hooks());
    expect(result).toMatchObject({ ok: false });
    expect(result.ok === false && result.retryable).toBeFalsy();
  });

  it('does not touch a machine on an unreachable host: no lease, no update, a definite failure naming it', async () => {
    api.machine = { ...api.machine, host_status: 'unreachable' };
    const result = await sut.execute(request(), hooks());
    expect(result).toEqual({ ok: false, machineId: ID, reason: `machine ${ID} is on an unreachable host (host_status unreachable); it was not updated` });
    expect(api.acquired).toBe(0);
    expect(api.updates).toHaveLength(0);
  });

  it('asks the client to look for the machine of a create an earlier run may have sent', async () => {
    const creates: unknown[] = [];
    const made = { ...api.machine, id: 'made', instance_id: 'i-made' };
    (api as unknown as { create: MachinesApi['create'] }).create = async (_app, _input, key, opts) => {
      creates.push({ key, opts });
      return made;
    };
    (api as unknown as { createApp: () => Promise<void> }).createApp = async () => undefined;
    const req: MachineUpdateRequestedData = { ...request(), kind: 'create', key: `${RELEASE}:create:app:1`, machineId: undefined, waitForHealth: false };

    await sut.execute(req, { ...hooks(), resumed: true });
    await sut.execute(req, hooks());

    expect(creates).toEqual([
      { key: `${RELEASE}:create:app:1`, opts: { resumed: true } },
      { key: `${RELEASE}:create:app:1`, opts: { resumed: false } },
    ]);
  });
});
