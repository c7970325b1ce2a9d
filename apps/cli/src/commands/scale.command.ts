import type { Command } from 'commander';
import { resolveApp, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { fetchStatus } from './status.command';

const POLL_MS = 200;

interface ScaleGroup {
  name: string;
  count: number;
  cpuKind: string;
  cpus: number;
  memoryMb: number;
  regions: Record<string, number>;
}

/**
 * `hangar scale count N [--process-group g] [--region r]`: creates or destroys managed machines, no
 * release; `hangar scale show`: the managed machines per group, as flyctl's `fly scale show`.
 */
export function registerScale(program: Command, ctx: CliContext): void {
  const scale = program.command('scale').description('Scale the app');
  scale
    .command('count <n>')
    .description('Run N managed machines in a process group')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--process-group <group>', 'process group (default: app)')
    .option('-r, --region <region>', 'region for new machines')
    .option('--wait-timeout <seconds>', 'how long to wait for the machines, in seconds', '300')
    .option('--json', 'print JSON')
    .action(async (n: string, opts: { app?: string; config?: string; processGroup?: string; region?: string; waitTimeout: string; json?: boolean }) => {
      const count = Number(n);
      if (!Number.isInteger(count) || count < 0) throw new CliError(`count must be a whole number ≥ 0; got "${n}"`, ExitCode.USAGE);
      const app = resolveApp(opts);
      const { scale: s } = await ctx.api().request<{ scale: { processGroup: string; from: number; to: number; created: number; destroyed: number } }>('POST', `/v1/apps/${app}/scale`, {
        count,
        ...(opts.processGroup ? { processGroup: opts.processGroup } : {}),
        ...(opts.region ? { region: opts.region } : {}),
      });
      if (!opts.json) ctx.out(`Scaling ${app} [${s.processGroup}] from ${s.from} to ${s.to} machines (${s.created} to create, ${s.destroyed} to destroy)`);
      const deadline = Date.now() + Number(opts.waitTimeout) * 1000;
      for (;;) {
        const status = await fetchStatus(ctx, app);
        const group = status.machines.filter((m) => m.managed && m.processGroup === s.processGroup);
        if (group.length === count && group.every((m) => m.state === 'started' || m.state === 'stopped')) {
          if (opts.json) ctx.json({ scale: s, machines: group });
          else ctx.out(`  ${app} [${s.processGroup}] now has ${count} machine(s)`);
          return;
        }
        if (Date.now() > deadline) throw new CliError(`timed out waiting for ${count} machines in ${s.processGroup} (have ${group.length})`, ExitCode.FAILED);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
  scale
    .command('show')
    .description('Show the VM size, count and regions of each process group')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (opts: { app?: string; config?: string; json?: boolean }) => {
      const app = resolveApp(opts);
      const shown = await ctx.api().request<{ app: string; groups: ScaleGroup[]; unmanaged: number }>('GET', `/v1/apps/${app}/scale`);
      if (opts.json) return ctx.json(shown);
      ctx.out(`VM Resources for app: ${app}`);
      ctx.out();
      ctx.out('Groups');
      const rows = shown.groups.map((g) => [g.name, String(g.count), g.cpuKind, String(g.cpus), `${g.memoryMb} MB`, formatRegions(g.regions)]);
      table([['NAME', 'COUNT', 'KIND', 'CPUS', 'MEMORY', 'REGIONS'], ...rows]).forEach((l) => ctx.out(l));
      if (shown.unmanaged > 0) ctx.out(`\n${shown.unmanaged} unmanaged machine(s) (machine run) not counted`);
    });
}

/** flyctl's region list: `ams(2),cdg`, sorted. */
function formatRegions(regions: Record<string, number>): string {
  return Object.entries(regions)
    .map(([region, n]) => (n > 1 ? `${region}(${n})` : region))
    .sort()
    .join(',');
}
