import type { Command } from 'commander';
import { resolveApp, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { fetchStatus, printMachines } from './status.command';
import { registerMachineActions } from './machine-actions.command';
import { registerMachinePower } from './machine-power.command';
import { registerMachineStatus } from './machine-status.command';

/** `hangar machine run|list|clone|destroy|start|stop|restart|status` (DESIGN §6.3). */
export function registerMachine(program: Command, ctx: CliContext): void {
  const machine = program.command('machine').description('Manage individual machines');
  machine
    .command('run <image> [cmd...]')
    .description('Run an unmanaged machine with its own image and command')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('-r, --region <region>', 'region')
    .option('-e, --env <KEY=VALUE...>', 'environment variables')
    .option('-v, --volume <name:/path>', 'mount an unattached volume of that name (see `hangar volumes create`)')
    .option('--json', 'print JSON')
    .action(async (image: string, cmd: string[], opts: { app?: string; config?: string; region?: string; env?: string[]; volume?: string; json?: boolean }) => {
      const app = resolveApp(opts);
      const mount = opts.volume === undefined ? undefined : parseVolumeFlag(opts.volume);
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
        ...(mount ? { mount } : {}),
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
  registerMachineActions(machine, ctx);
  registerMachinePower(machine, ctx);
  registerMachineStatus(machine, ctx);
}

/** `-v data:/data` → `{ volume: 'data', path: '/data' }`. */
function parseVolumeFlag(raw: string): { volume: string; path: string } {
  const colon = raw.indexOf(':');
  if (colon <= 0 || !raw.slice(colon + 1).startsWith('/')) throw new CliError(`--volume takes <name>:/<path>; got "${raw}"`, ExitCode.USAGE);
  return { volume: raw.slice(0, colon), path: raw.slice(colon + 1) };
}
