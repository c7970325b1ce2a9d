import type { Command } from 'commander';
import { resolveApp, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';

interface VolumeView {
  id: string;
  name: string;
  region: string;
  sizeGb: number;
  state: string;
  attachedMachineId?: string;
  createdAt: string;
}

interface AppOptions {
  app?: string;
  config?: string;
  json?: boolean;
}

function positiveInt(flag: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${flag} must be a whole number from 1 to ${max}; got "${raw}"`, ExitCode.USAGE);
  return n;
}

/** `hangar volumes create <name> -r <region> [-s GB] [-n count] | list` (DESIGN §6.4). */
export function registerVolumes(program: Command, ctx: CliContext): void {
  const volumes = program.command('volumes').description("Manage the app's volumes");
  volumes
    .command('create <name>')
    .description('Create volumes (one machine can mount each) in a region')
    .requiredOption('-r, --region <region>', 'region of the volume')
    .option('-s, --size <gb>', 'size in GB (default 1)')
    .option('-n, --count <n>', 'how many volumes (default 1)')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: AppOptions & { region: string; size?: string; count?: string }) => {
      const app = resolveApp(opts);
      const sizeGb = positiveInt('--size', opts.size, 500);
      const count = positiveInt('--count', opts.count, 50);
      const { volumes: created } = await ctx.api().request<{ volumes: VolumeView[] }>('POST', `/v1/apps/${app}/volumes`, {
        name,
        region: opts.region,
        ...(sizeGb ? { sizeGb } : {}),
        ...(count ? { count } : {}),
      });
      if (opts.json) return ctx.json({ volumes: created });
      created.forEach((v, i) => {
        if (i > 0) ctx.out();
        for (const [k, val] of [['ID', v.id], ['Name', v.name], ['App', app], ['Region', v.region], ['Size GB', String(v.sizeGb)], ['Created at', v.createdAt]]) {
          ctx.out(`${k!.padStart(12)}: ${val}`);
        }
      });
    });
  volumes
    .command('list')
    .description("List the app's volumes")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (opts: AppOptions) => {
      const app = resolveApp(opts);
      const { volumes: list } = await ctx.api().request<{ volumes: VolumeView[] }>('GET', `/v1/apps/${app}/volumes`);
      if (opts.json) return ctx.json({ volumes: list });
      const rows = [['ID', 'STATE', 'NAME', 'SIZE', 'REGION', 'ATTACHED VM', 'CREATED AT']];
      for (const v of list) rows.push([v.id, v.state, v.name, `${v.sizeGb}GB`, v.region, v.attachedMachineId ?? '', v.createdAt]);
      table(rows).forEach((l) => ctx.out(l));
    });
}
