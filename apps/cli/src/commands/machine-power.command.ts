import type { Command } from 'commander';
import { MachinePowerErrorCodes, type MachineDetail, type MachinePowerAction } from '@hangar/contracts';
import { resolveApp, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { powerProgress } from '../machine-wait';
import { parseDurationFlag, parseKillTimeout, parseSignal } from './machine-flags';

interface PowerOptions {
  app?: string;
  config?: string;
  json?: boolean;
  signal?: string;
  timeout?: string;
  time?: string;
  waitTimeout: string;
  skipHealthChecks?: boolean;
}

interface PowerReply {
  machine: { id: string; state: string; instanceId: string };
  previousState: string;
}

const POLL_MS = 200;
const BUSY: readonly string[] = Object.values(MachinePowerErrorCodes);

/**
 * `hangar machine start|stop|restart <id>` (flyctl's `fly machine start|stop|restart`): one call
 * under the machine's lease, then a wait until the machine got there (`-w 0`: no wait). A machine
 * busy elsewhere (a release rolling out, someone else's lease) fails at once with exit 1.
 */
export function registerMachinePower(machine: Command, ctx: CliContext): void {
  common(machine.command('start <id>').description('Start a stopped machine'), 'started').action((id: string, opts: PowerOptions) => power(ctx, 'start', id, opts));
  common(
    machine
      .command('stop <id>')
      .description('Stop a machine')
      .option('-s, --signal <signal>', 'signal to stop the machine with (default: its kill_signal, SIGINT)')
      .option('--timeout <duration>', 'seconds (or a duration like 30s) to wait after the signal before SIGKILL (default: its kill_timeout, 5s)'),
    'stopped',
  ).action((id: string, opts: PowerOptions) => power(ctx, 'stop', id, opts));
  common(
    machine
      .command('restart <id>')
      .description('Restart a machine: stop it with the signal, then start it again')
      .option('-s, --signal <signal>', 'signal to stop the machine with (default: its kill_signal, SIGINT)')
      .option('--timeout <duration>', 'seconds (or a duration like 30s) to wait after the signal before SIGKILL (default: its kill_timeout, 5s)')
      .option('--time <seconds>', "flyctl's name for --timeout")
      .option('--skip-health-checks', 'do not wait for the health checks to pass'),
    'started and healthy',
  ).action((id: string, opts: PowerOptions) => power(ctx, 'restart', id, opts));
}

function common(cmd: Command, until: string): Command {
  return cmd
    .option('-w, --wait-timeout <duration>', `how long to wait for the machine to be ${until}: seconds or a duration like 5m; 0 does not wait`, '5m')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON');
}

async function power(ctx: CliContext, action: MachinePowerAction, id: string, opts: PowerOptions): Promise<void> {
  const timeout = opts.timeout ?? opts.time;
  const body = action === 'start' ? undefined : { ...(opts.signal ? { signal: parseSignal(opts.signal) } : {}), ...(timeout ? { timeout: parseKillTimeout(timeout) } : {}) };
  const waitMs = parseDurationFlag('--wait-timeout', opts.waitTimeout);
  const app = resolveApp(opts);
  if (!opts.json) ctx.out(action === 'stop' ? `Sending kill signal to machine ${id}...` : action === 'start' ? `Starting machine ${id}` : `Restarting machine ${id}`);
  const reply = await ctx
    .api()
    .request<PowerReply>('POST', `/v1/apps/${app}/machines/${encodeURIComponent(id)}/${action}`, body)
    .catch((error: unknown) => {
      const code = (error as CliError).body as { error?: { code?: string } } | undefined;
      if (error instanceof CliError && BUSY.includes(code?.error?.code ?? '')) throw new CliError(error.message, ExitCode.FAILED, error.body);
      throw error;
    });
  if (waitMs === 0) {
    if (opts.json) return ctx.json(reply);
    ctx.out(`Machine ${id} is ${reply.machine.state} (not waiting: --wait-timeout 0)`);
    return;
  }
  const machine = await waitUntilDone(ctx, app, id, action, waitMs, opts);
  if (opts.json) return ctx.json({ machine: summary(machine), previousState: reply.previousState });
  ctx.out(action === 'stop' ? `${id} has been successfully stopped` : action === 'start' ? `${id} has been started` : `Machine ${id} restarted successfully!`);
}

async function waitUntilDone(ctx: CliContext, app: string, id: string, action: MachinePowerAction, waitMs: number, opts: PowerOptions): Promise<MachineDetail> {
  const deadline = Date.now() + waitMs;
  let said = '';
  for (;;) {
    const { machine } = await ctx.api().request<{ machine: MachineDetail }>('GET', `/v1/apps/${app}/machines/${encodeURIComponent(id)}`);
    const progress = powerProgress(action, machine, opts.skipHealthChecks === true);
    if (progress.kind === 'done') return machine;
    if (progress.kind === 'failed') throw new CliError(`machine ${id} ${action} failed: ${progress.reason}`, ExitCode.FAILED);
    if (Date.now() > deadline) throw new CliError(`timed out after ${opts.waitTimeout} waiting for machine ${id} (${progress.detail}); raise --wait-timeout`, ExitCode.FAILED);
    if (!opts.json && progress.detail !== said && action === 'restart') ctx.out(`  Waiting for ${id} to become healthy (${progress.detail})`);
    said = progress.detail;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** `--json`'s machine: the status fields, its instance and its checks as last seen. */
function summary(m: MachineDetail) {
  return {
    id: m.id,
    processGroup: m.processGroup,
    region: m.region,
    state: m.state,
    managed: m.managed,
    ...(m.releaseVersion ? { releaseVersion: m.releaseVersion } : {}),
    image: m.image,
    instanceId: m.instanceId,
    checks: m.checks,
  };
}
