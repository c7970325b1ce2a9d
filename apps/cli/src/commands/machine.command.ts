import type { Command } from 'commander';
import { resolveApp, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { fetchStatus, printMachines } from './status.command';

/** `hangar machine run|list`: unmanaged machines that deploys leave alone (DESIGN §6.3). */
export function registerMachine(program: Command, ctx: CliContext): void {
  const machine = program.command('machine').description('Manage individual machines');
  machine
    .command('run <image> [cmd...]')
    .description('Run an unmanaged machine with its own image and command')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('-r, --region <region>', 'region')
    .option('-e, --env <KEY=VALUE...>', 'environment variables')
    .option('--json', 'print JSON')
    .action(async (image: string, cmd: string[], opts: { app?: string; config?: string; region?: string; env?: string[]; json?: boolean }) => {
      const app = resolveApp(opts);
      const env: Record<string, string> = {};
      for (const pair of opts.env ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new CliError(`--env takes KEY=VALUE; got "${pair}"`, ExitCode.USAGE);
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const { machine: m } = await ctx.api().request<{ machine: { id: string; state: string } }>('POST', `/v1/apps/${app}/machines`, {
        image,
        ...(cmd.length ? { cmd } : {}),
        ...(opts.region ? { region: opts.region } : {}),
        ...(Object.keys(env).length ? { env } : {}),
      });
      if (opts.json) return ctx.json({ machine: m });
      ctx.out(`Machine ${m.id} created (unmanaged: deploys leave it alone), state ${m.state}`);
    });
  machine
    .command('list')
    .description("List the app's machines")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (opts: { app?: string; config?: string; json?: boolean }) => {
      const status = await fetchStatus(ctx, resolveApp(opts));
      if (opts.json) return ctx.json(status);
      printMachines(ctx, status.machines);
    });
}
