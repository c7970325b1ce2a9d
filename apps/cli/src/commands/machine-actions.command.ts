import type { Command } from 'commander';
import { resolveApp, type CliContext } from '../cli-context';

interface MachineStatus {
  id: string;
  region: string;
  state: string;
  managed: boolean;
  volume?: string;
  mountPath?: string;
}

interface AppOptions {
  app?: string;
  config?: string;
  json?: boolean;
}

/** `hangar machine clone <id> [-r region]` and `hangar machine destroy <id> [--force]` (DESIGN §6.3). */
export function registerMachineActions(machine: Command, ctx: CliContext): void {
  machine
    .command('clone <id>')
    .description("Create a machine with another one's config and metadata (a clone of a managed machine is managed)")
    .option('-r, --region <region>', 'region of the clone (default: the source machine region)')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: AppOptions & { region?: string }) => {
      const app = resolveApp(opts);
      if (!opts.json) ctx.out(`Cloning machine ${id}${opts.region ? ` into region ${opts.region}` : ''}`);
      const { machine: m } = await ctx.api().request<{ machine: MachineStatus }>('POST', `/v1/apps/${app}/machines/${encodeURIComponent(id)}/clone`, opts.region ? { region: opts.region } : {});
      if (opts.json) return ctx.json({ machine: m, sourceId: id });
      ctx.out(`  Machine ${m.id} created in region ${m.region}, state ${m.state}`);
      if (m.volume) ctx.out(`  Volume ${m.volume} mounted at ${m.mountPath ?? '?'}`);
      ctx.out(`Machine ${id} cloned to ${m.id} (${m.managed ? 'managed: deploys update it' : 'unmanaged: deploys leave it alone'})`);
    });
  machine
    .command('destroy <id>')
    .description('Destroy a machine')
    .option('-f, --force', 'kill it if it is running')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: AppOptions & { force?: boolean }) => {
      const app = resolveApp(opts);
      const path = `/v1/apps/${app}/machines/${encodeURIComponent(id)}${opts.force ? '?force=true' : ''}`;
      const { destroyed } = await ctx.api().request<{ destroyed: { id: string; managed: boolean } }>('DELETE', path);
      if (opts.json) return ctx.json({ destroyed });
      ctx.out(`Machine ${destroyed.id} destroyed`);
    });
}
