import type { MachineUpdateRequestedData } from '@hangar/contracts';
import type { MachinesApi } from '@hangar/machines-api';

export type StepResult =
  | { ok: true; machineId: string; state?: string; exitCode?: number; logs?: string[] }
  | { ok: false; machineId?: string; reason: string; exitCode?: number; logs?: string[] };

const POLL_MS = 50;
const LOG_LINES = 100;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The single-call operations of the bluegreen and canary strategies (cordon, uncordon, stop) and
 * the release command's temporary machine (DESIGN §5 step 3, reference §5).
 */
export class MachineSteps {
  constructor(private readonly api: MachinesApi) {}

  async cordon(req: MachineUpdateRequestedData, uncordon: boolean): Promise<StepResult> {
    const machineId = req.machineId!;
    if (uncordon) await this.api.uncordon(req.app, machineId);
    else await this.api.cordon(req.app, machineId);
    return { ok: true, machineId };
  }

  /** Stops the machine and waits until it is stopped (bounded by the request's wait timeout). */
  async stop(req: MachineUpdateRequestedData): Promise<StepResult> {
    const machineId = req.machineId!;
    const current = await this.api.get(req.app, machineId);
    if (current.state !== 'stopped' && current.state !== 'destroyed') {
      await this.api.stop(req.app, machineId);
      await this.api.wait(req.app, machineId, { state: 'stopped', instanceId: current.instance_id, timeoutSec: Math.ceil(req.waitTimeoutMs / 1000) });
    }
    return { ok: true, machineId, state: 'stopped' };
  }

  /**
   * Runs the release command in a temporary machine (`auto_destroy`, restart `no`) and waits for it
   * to exit within `waitTimeoutMs` (the release command timeout). Exit 0 succeeds; anything else, or
   * a timeout, fails with the exit code and the last 100 lines it printed.
   */
  async releaseCommand(req: MachineUpdateRequestedData, beforeMutation: (machineId: string) => Promise<void>): Promise<StepResult> {
    await beforeMutation(req.key);
    const machine = await this.api.create(req.app, { config: req.config!, region: req.region }, req.key);
    const deadline = Date.now() + req.waitTimeoutMs;
    while (Date.now() < deadline) {
      const current = await this.api.get(req.app, machine.id).catch(() => undefined);
      if (!current || ['stopped', 'destroyed', 'failed'].includes(current.state)) {
        const exit = current?.events?.find((e) => e.type === 'exit');
        const exitCode = exit?.request?.exit_event?.exit_code ?? 0;
        const logs = (await this.logsOf(req.app, machine.id)).slice(-LOG_LINES);
        if (exitCode === 0) return { ok: true, machineId: machine.id, exitCode, logs };
        return { ok: false, machineId: machine.id, exitCode, logs, reason: `machine ${machine.id} exited with non-zero status of ${exitCode}` };
      }
      await sleep(POLL_MS);
    }
    const logs = (await this.logsOf(req.app, machine.id)).slice(-LOG_LINES);
    await this.api.destroy(req.app, machine.id, { force: true }).catch(() => undefined);
    const seconds = Math.round(req.waitTimeoutMs / 1000);
    return { ok: false, machineId: machine.id, logs, reason: `release command timed out after ${seconds}s on machine ${machine.id}; raise --release-command-timeout` };
  }

  private async logsOf(app: string, machineId: string): Promise<string[]> {
    return this.api.logs ? this.api.logs(app, machineId).catch(() => []) : [];
  }
}
