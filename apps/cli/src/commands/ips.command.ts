import type { Command } from 'commander';
import { resolveApp, table, type CliContext } from '../cli-context';

interface IpView {
  address: string;
  type: 'v4' | 'v6';
  shared: boolean;
  allocatedAt: string;
}

interface AppOptions {
  app?: string;
  config?: string;
  json?: boolean;
}

/** The flyctl-style table: VERSION, IP, TYPE, CREATED AT. */
export function printIps(ctx: CliContext, ips: readonly IpView[]): void {
  const rows = [['VERSION', 'IP', 'TYPE', 'CREATED AT']];
  for (const ip of ips) rows.push([ip.type, ip.address, ip.shared ? 'public (shared)' : 'public (dedicated)', ip.allocatedAt]);
  table(rows).forEach((l) => ctx.out(l));
}

/** `hangar ips allocate-v4 [--shared] | allocate-v6 | list | release <address>` (DESIGN §6.6): no release is created. */
export function registerIps(program: Command, ctx: CliContext): void {
  const ips = program.command('ips').description("Manage the app's IP addresses (no redeploy needed)");
  const appOptions = (cmd: Command) =>
    cmd.option('-a, --app <app>', 'app name (default: app in fly.toml)').option('-c, --config <path>', 'path to fly.toml').option('--json', 'print JSON');

  const allocate = async (type: 'v4' | 'v6', opts: AppOptions & { shared?: boolean }) => {
    const app = resolveApp(opts);
    const { ip } = await ctx.api().request<{ ip: IpView }>('POST', `/v1/apps/${app}/ips`, { type, ...(opts.shared ? { shared: true } : {}) });
    if (opts.json) return ctx.json({ ip });
    printIps(ctx, [ip]);
  };
  appOptions(ips.command('allocate-v4').description('Allocate an IPv4 address: dedicated, or the shared one with --shared'))
    .option('--shared', "the pool's shared IPv4 address")
    .action((opts: AppOptions & { shared?: boolean }) => allocate('v4', opts));
  appOptions(ips.command('allocate-v6').description('Allocate a dedicated IPv6 address')).action((opts: AppOptions) => allocate('v6', opts));

  appOptions(ips.command('list').description("List the app's IP addresses")).action(async (opts: AppOptions) => {
    const app = resolveApp(opts);
    const { ips: list } = await ctx.api().request<{ ips: IpView[] }>('GET', `/v1/apps/${app}/ips`);
    if (opts.json) return ctx.json({ ips: list });
    printIps(ctx, list);
  });

  appOptions(ips.command('release <address>').description('Release an IP address of the app')).action(async (address: string, opts: AppOptions) => {
    const app = resolveApp(opts);
    const { released } = await ctx.api().request<{ released: { app: string; address: string } }>('DELETE', `/v1/apps/${app}/ips/${encodeURIComponent(address)}`);
    if (opts.json) return ctx.json({ released });
    ctx.out(`Released ${released.address} from ${app}`);
  });
}
