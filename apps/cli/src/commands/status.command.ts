import type { Command } from 'commander';
import { resolveApp, table, type CliContext } from '../cli-context';

interface MachineStatus {
  id: string;
  processGroup: string;
  region: string;
  state: string;
  managed: boolean;
  releaseVersion?: number;
  image: string;
  volume?: string;
  mountPath?: string;
  /** `unreachable` / `unknown` when the machine's host does not answer (absent when it is fine). */
  hostStatus?: string;
}

/** Fetches `status --json`'s document: `{ app, machines }`. */
export async function fetchStatus(ctx: CliContext, app: string, at?: string): Promise<{ app: string; at?: string; machines: MachineStatus[] }> {
  return ctx.api().request('GET', `/v1/apps/${app}/machines${at ? `?at=${encodeURIComponent(at)}` : ''}`);
}

export function printMachines(ctx: CliContext, machines: MachineStatus[]): void {
  const rows = [['ID', 'PROCESS', 'VERSION', 'REGION', 'STATE', 'MANAGED', 'IMAGE']];
  for (const m of machines) {
    const state = m.hostStatus ? `${m.state} (host ${m.hostStatus})` : m.state;
    rows.push([m.id, m.processGroup, m.releaseVersion ? `v${m.releaseVersion}` : '-', m.region, state, m.managed ? 'yes' : 'no (machine run)', m.image || '-']);
  }
  table(rows).forEach((l) => ctx.out(l));
  const unreachable = machines.filter((m) => m.hostStatus).length;
  if (unreachable > 0) ctx.out(`\n${unreachable} machine(s) on an unreachable host: deploys skip them; their config is only partly known until the host is back`);
}

/** `hangar status` (DESIGN §7.1): machines with group, release, state and managed or not. */
export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description("Show the app's machines")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--at <time>', 'the machines as they were at an RFC 3339 time (from the event history)')
    .option('--json', 'print JSON')
    .action(async (opts: { app?: string; config?: string; json?: boolean; at?: string }) => {
      const app = resolveApp(opts);
      const status = await fetchStatus(ctx, app, opts.at);
      if (opts.json) return ctx.json(status);
      const managed = status.machines.filter((m) => m.managed).length;
      ctx.out(`App ${app}${status.at ? ` at ${status.at}` : ''}: ${status.machines.length} machine(s), ${managed} managed by deploy`);
      ctx.out();
      printMachines(ctx, status.machines);
    });
}
