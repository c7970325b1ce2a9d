import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { MetadataKeys, type Machine, type MachinesApi } from '@hangar/machines-api';
import { judgeHealth } from './domain/health';

export type OperationResult =
  | { ok: true; machineId: string; instanceId?: string; state?: string }
  | { ok: false; machineId?: string; reason: string };

export interface ExecutorHooks {
  /** Called with the lease nonce before the first call made under it (recorded write-ahead). */
  beforeMutation(info: { machineId: string; nonce?: string }): Promise<void>;
}

/** Lease TTL, as flyctl (13 s), refreshed every (ttl − 1 s) / 3 while the operation runs. */
const LEASE_TTL_SEC = 13;
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Carries out one requested machine operation through the machines API: lease → update with the
 * nonce → wait for `started` with the new instance id → wait for checks → release the lease
 * (DESIGN §5 step 5). Idempotent: a machine that already shows the request's effect is not touched.
 */
export class MachineOperationExecutor {
  constructor(private readonly api: MachinesApi) {}

  async execute(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    try {
      switch (req.kind) {
        case 'update':
          return await this.update(req, hooks);
        case 'create':
          return await this.create(req, hooks);
        case 'destroy':
          return await this.destroy(req, hooks);
        default: {
          const never: never = req.kind;
          return { ok: false, reason: `unknown operation ${String(never)}` };
        }
      }
    } catch (error) {
      return { ok: false, machineId: req.machineId, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async update(req: MachineUpdateRequestedData, hooks: ExecutorHooks): Promise<OperationResult> {
    const machineId = req.machineId!;
    const current = await this.api.get(req.app, machineId);
    if (alreadyAtRelease(current, req.releaseId)) {
      return this.finish(req, machineId, current.instance_id);
    }
    const lease = await this.api.acquireLease(req.app, machineId, LEASE_TTL_SEC, `hangar release ${req.releaseId}`);
    const stopRefresh = this.keepLease(req.app, machineId, lease.nonce);
    try {
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
    await this.api.createApp(req.app);
    await hooks.beforeMutation({ machineId: req.key });
    const created = await this.api.create(
      req.app,
      { config: req.config!, region: req.region, ...(req.skipLaunch ? { skip_launch: true } : {}) },
      req.key,
    );
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

  private keepLease(app: string, machineId: string, nonce: string): () => void {
    const timer = setInterval(
      () => void this.api.refreshLease(app, machineId, nonce, LEASE_TTL_SEC).catch(() => undefined),
      ((LEASE_TTL_SEC - 1) * 1000) / 3,
    );
    timer.unref();
    return () => clearInterval(timer);
  }
}

function alreadyAtRelease(machine: Machine, releaseId: string): boolean {
  return machine.config.metadata?.[MetadataKeys.releaseId] === releaseId;
}
