import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { MachinesApiErrorCodes, MetadataKeys, isHostUnreachable, type Lease, type Machine, type MachinesApi } from '@hangar/machines-api';
import { isTransientFailure } from './domain/transient-failure';
import { judgeHealth } from './domain/health';
import { MachineSteps } from './machine-steps';
import { NewMachineVolumes } from './new-machine-volumes';

/**
 * `retryable`: nothing definitive happened (the machines API was unreachable, a lease was held, the
 * process lost its claim on the operation): run the operation again later instead of reporting it.
 */
export type OperationResult =
  | { ok: true; machineId: string; instanceId?: string; state?: string; region?: string; exitCode?: number; logs?: string[]; logsUnavailable?: string }
  | { ok: false; machineId?: string; reason: string; retryable?: boolean; exitCode?: number; logs?: string[]; logsUnavailable?: string };

export interface ExecutorHooks {
  /** Called with the lease nonce before the first call made under it (recorded write-ahead). */
  beforeMutation(info: { machineId: string; nonce?: string }): Promise<void>;
  /**
   * The lease nonce an interrupted earlier run of this same operation recorded: the run resumes
   * under that lease (refreshing it) instead of failing on "lease held" or waiting for it to expire.
   */
  resumeNonce?: string;
  /**
   * An earlier run of this operation recorded its first mutation: a create it sent may have made its
   * machine (the Machines API has no idempotency), so look for that machine before creating.
   */
  resumed?: boolean;
}

/**
 * Lease TTL, as flyctl (13 s) unless the release asks otherwise (`deploy --lease-timeout`),
 * refreshed every (ttl − 1 s) / 3 while the operation runs.
 */
const DEFAULT_LEASE_TTL_SEC = 13;
const LEASE_RETRY_MS = 500;
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Carries out one requested machine operation through the machines API: lease → update with the
 * nonce → wait for `started` with the new instance id → wait for checks → release the lease
 * (DESIGN §5 step 5). Idempotent: a machine that already shows the request's effect is not touched.
 */
export class MachineOperationExecutor {
  private readonly steps: MachineSteps;
  private readonly volumes: NewMachineVolumes;

  constructor(private readonly api: MachinesApi) {
    this.steps = new MachineSteps(api);
    this.volumes = new NewMachineVolumes(api);
  }

  async execute(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    try {
      switch (req.kind) {
        case 'update':
          return await this.update(req, hooks);
        case 'create':
          return await this.create(req, hooks);
        case 'destroy':
          return await this.destroy(req, hooks);
        case 'replace':
          return await this.replace(req, hooks);
        case 'cordon':
        case 'uncordon':
          return await this.steps.cordon(req, req.kind === 'uncordon');
        case 'stop':
          return await this.steps.stop(req);
        case 'release-command':
          return await this.steps.releaseCommand(req, (machineId) => hooks.beforeMutation({ machineId }), hooks.resumed === true);
        default: {
          const never: never = req.kind;
          return { ok: false, reason: `unknown operation ${String(never)}` };
        }
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, machineId: req.machineId, reason, ...(isTransientFailure(error) ? { retryable: true } : {}) };
    }
  }

  private async update(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    const machineId = req.machineId!;
    const current = await this.api.get(req.app, machineId);
    if (isHostUnreachable(current)) return unreachable(machineId, current);
    if (alreadyAtRelease(current, req.releaseId)) {
      // A redelivery, or a run that died after its update (maybe mid-wait): never update twice, only
      // wait for the instance it made to be healthy, then let go of the lease that run left behind.
      const result = await this.finish(req, machineId, current.instance_id);
      if (hooks.resumeNonce) await this.api.releaseLease(req.app, machineId, hooks.resumeNonce).catch(() => undefined);
      return result;
    }
    const lease = await this.leaseFor(req, machineId, hooks.resumeNonce);
    const stopRefresh = this.keepLease(req, machineId, lease.nonce);
    try {
      // Checked again under the lease: whoever updated it while we waited for the lease held it then.
      const leased = await this.api.get(req.app, machineId);
      if (alreadyAtRelease(leased, req.releaseId)) return await this.finish(req, machineId, leased.instance_id);
      await hooks.beforeMutation({ machineId, nonce: lease.nonce });
      const updated = await this.api.update(
        req.app,
        machineId,
        { config: req.config!, region: req.region, ...(req.skipLaunch ? { skip_launch: true } : {}) },
        lease.nonce,
      );
      return await this.finish(req, machineId, updated.instance_id);
    } finally {
      stopRefresh();
      await this.api.releaseLease(req.app, machineId, lease.nonce).catch(() => undefined);
    }
  }

  private async create(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    await hooks.beforeMutation({ machineId: req.key });
    const { config, region } = req.createVolume ? await this.volumes.mountFor(req) : { config: req.config!, region: req.region };
    // A bluegreen green takes no traffic from birth (flyctl: skip_service_registration); it is
    // uncordoned once healthy. `cordoned` is how requests recorded before said the same.
    const unrouted = req.skipServiceRegistration === true || req.cordoned === true;
    const created = await this.api.create(
      req.app,
      { config, region, ...(req.skipLaunch ? { skip_launch: true } : {}), ...(unrouted ? { skip_service_registration: true } : {}) },
      req.key,
      { resumed: hooks.resumed === true },
    );
    // Where the platform put it: the request may have named no region.
    const result = await this.finish(req, created.id, created.instance_id);
    return result.ok && created.region ? { ...result, region: created.region } : result;
  }

  /**
   * A change of mounts (DESIGN §6.4): destroy the machine (its volume is detached, never deleted),
   * then create its successor from the request's config. Safe to re-run: the destroy tolerates a
   * machine already gone, the create is keyed.
   */
  private async replace(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    const machineId = req.machineId!;
    await hooks.beforeMutation({ machineId });
    await this.api.destroy(req.app, machineId, { force: true }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'MACHINE.NOT_FOUND') throw error;
    });
    const created = await this.api.create(req.app, { config: req.config!, region: req.region }, req.key, { resumed: hooks.resumed === true });
    return this.finish(req, created.id, created.instance_id);
  }

  private async destroy(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    const machineId = req.machineId!;
    await hooks.beforeMutation({ machineId });
    await this.api.destroy(req.app, machineId, { force: true }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'MACHINE.NOT_FOUND') throw error;
    });
    return { ok: true, machineId, state: 'destroyed' };
  }

  /** Waits for the new instance to be started and healthy when the request asks for it. */
  private async finish(req: MachineUpdateRequestedData, machineId: string, instanceId: string): Promise<OperationResult> {
    if (req.skipLaunch || !req.waitForHealth) {
      return { ok: true, machineId, instanceId };
    }
    const deadline = Date.now() + req.waitTimeoutMs;
    let delay = POLL_MIN_MS;
    let last = 'not observed yet';
    while (Date.now() < deadline) {
      const machine = await this.api.get(req.app, machineId);
      const verdict = judgeHealth(machine, instanceId, true);
      if (verdict.kind === 'healthy') return { ok: true, machineId, instanceId, state: machine.state };
      if (verdict.kind === 'exited') return { ok: false, machineId, reason: verdict.reason };
      last = verdict.detail;
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
      delay = Math.min(POLL_MAX_MS, delay * 2);
    }
    return {
      ok: false,
      machineId,
      reason: `timeout reached waiting for machine ${machineId} to be healthy after ${Math.round(req.waitTimeoutMs / 1000)}s (${last})`,
    };
  }

  /** The recorded lease of an interrupted run when it is still ours, else a new one (waiting out a dead run's unrecorded lease). */
  private async leaseFor(req: MachineUpdateRequestedData, machineId: string, resumeNonce: string | undefined): Promise<Lease> {
    const ttlSec = leaseTtlSec(req);
    if (resumeNonce) {
      try {
        return await this.api.refreshLease(req.app, machineId, resumeNonce, ttlSec);
      } catch (error) {
        if ((error as { code?: string }).code !== MachinesApiErrorCodes.LEASE_HELD) throw error;
      }
    }
    // A lease left by a run that died unrecorded expires within its TTL: keep trying that long (at most
    // the default's), then leave it to a later run, so a long --lease-timeout never pins this process.
    const deadline = Date.now() + (Math.min(ttlSec, DEFAULT_LEASE_TTL_SEC) + 2) * 1000;
    for (;;) {
      try {
        return await this.api.acquireLease(req.app, machineId, ttlSec, `hangar release ${req.releaseId}`);
      } catch (error) {
        if ((error as { code?: string }).code !== MachinesApiErrorCodes.LEASE_HELD || Date.now() >= deadline) throw error;
        await sleep(LEASE_RETRY_MS);
      }
    }
  }

  private keepLease(req: MachineUpdateRequestedData, machineId: string, nonce: string): () => void {
    const ttlSec = leaseTtlSec(req);
    const timer = setInterval(
      () => void this.api.refreshLease(req.app, machineId, nonce, ttlSec).catch(() => undefined),
      ((ttlSec - 1) * 1000) / 3,
    );
    timer.unref();
    return () => clearInterval(timer);
  }
}

/** The API takes whole seconds: a `--lease-timeout` of 2.5s leases for 3 s. */
function leaseTtlSec(req: MachineUpdateRequestedData): number {
  return req.leaseTimeoutMs === undefined ? DEFAULT_LEASE_TTL_SEC : Math.ceil(req.leaseTimeoutMs / 1000);
}

/** flyctl skips the lease of a machine on an unreachable host, and no call on it can work: say so, never crash on its partial config. */
function unreachable(machineId: string, machine: Machine): OperationResult {
  return { ok: false, machineId, reason: `machine ${machineId} is on an unreachable host (host_status ${machine.host_status}); it was not updated` };
}

function alreadyAtRelease(machine: Machine, releaseId: string): boolean {
  return machine.config.metadata?.[MetadataKeys.releaseId] === releaseId;
}
