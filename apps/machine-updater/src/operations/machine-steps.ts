import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { MachinesApiErrorCodes, type MachineLogs, type MachinesApi } from '@hangar/machines-api';
import { judgeReleaseCommand, type ReleaseCommandVerdict } from './domain/release-command-outcome';

/** `logsUnavailable`: why the release command's output cannot be shown (never "it printed nothing"). */
export type StepResult =
  | { ok: true; machineId: string; state?: string; exitCode?: number; logs?: string[]; logsUnavailable?: string }
  | { ok: false; machineId?: string; reason: string; exitCode?: number; logs?: string[]; logsUnavailable?: string };

const LOG_LINES = 100;
/** Longest hold of one `wait` call Fly allows, in seconds. */
const MAX_WAIT_SEC = 60;

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
   * to end within `waitTimeoutMs` (the release command timeout) with the Machines API `wait` (each
   * call held at most 60 s, as Fly allows), never by polling. Exit 0 succeeds; a non-zero exit, a
   * timeout or an unknown outcome (gone, or ended without an exit event) fails, with the last 100
   * lines it printed or why they cannot be shown.
   */
  async releaseCommand(req: MachineUpdateRequestedData, beforeMutation: (machineId: string) => Promise<void>, resumed = false): Promise<StepResult> {
    await beforeMutation(req.key);
    const machine = await this.api.create(req.app, { config: req.config!, region: req.region }, req.key, { resumed });
    const verdict = await this.awaitEnd(req.app, machine.id, req.waitTimeoutMs);
    const output = await this.logsOf(req.app, machine.id);
    if (verdict.kind === 'exited' && verdict.exitCode === 0) return { ok: true, machineId: machine.id, exitCode: 0, ...output };
    if (verdict.kind === 'exited') {
      const oom = verdict.oomKilled ? ' (out of memory)' : '';
      return { ok: false, machineId: machine.id, exitCode: verdict.exitCode, ...output, reason: `machine ${machine.id} exited with non-zero status of ${verdict.exitCode}${oom}` };
    }
    if (verdict.kind === 'unknown') return { ok: false, machineId: machine.id, ...output, reason: verdict.reason };
    await this.api.destroy(req.app, machine.id, { force: true }).catch(() => undefined);
    const seconds = Math.round(req.waitTimeoutMs / 1000);
    return { ok: false, machineId: machine.id, ...output, reason: `release command timed out after ${seconds}s on machine ${machine.id}; raise --release-command-timeout` };
  }

  /**
   * Waits (as flyctl) for the machine to be destroyed, looking at it after each bounded wait: an
   * `auto_destroy` machine that only stopped is judged then, too. A 404 counts as destroyed; the
   * look that follows decides. Read failures throw (the operation is retried, never taken as success).
   */
  private async awaitEnd(app: string, machineId: string, timeoutMs: number): Promise<ReleaseCommandVerdict> {
    const deadline = Date.now() + timeoutMs;
    let verdict: ReleaseCommandVerdict = { kind: 'running', state: 'created' };
    while (Date.now() < deadline) {
      const holdSec = Math.max(1, Math.min(MAX_WAIT_SEC, Math.ceil((deadline - Date.now()) / 1000)));
      await this.api.wait(app, machineId, { state: 'destroyed', timeoutSec: holdSec }).catch((error: unknown) => {
        if ((error as { code?: string }).code !== MachinesApiErrorCodes.WAIT_TIMEOUT) throw error;
      });
      const current = await this.api.get(app, machineId).catch((error: unknown) => {
        if ((error as { code?: string }).code === MachinesApiErrorCodes.NOT_FOUND) return undefined;
        throw error;
      });
      verdict = judgeReleaseCommand(machineId, current);
      if (verdict.kind !== 'running') return verdict;
    }
    return verdict;
  }

  private async logsOf(app: string, machineId: string): Promise<{ logs: string[] } | { logs: string[]; logsUnavailable: string }> {
    const logs: MachineLogs = this.api.logs ? await this.api.logs(app, machineId) : { available: false, reason: 'this machines API client reads no logs' };
    return logs.available ? { logs: logs.lines.slice(-LOG_LINES) } : { logs: [], logsUnavailable: logs.reason };
  }
}
