import type { Command } from 'commander';
import type { AppSummary, DestroyedApp } from '@hangar/contracts';
import { resolveApp, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { appOverview, overviewLines, type MachineBrief } from './app-overview';
import { terminalPrompter, type Prompter } from './legacy-migration';

/** `hangar apps create [name] [--machines] [--org]`, `hangar apps import <name>`, `hangar apps list`, `hangar apps show`, `hangar apps destroy <app>`. */
export function registerApps(program: Command, ctx: CliContext, prompter: () => Prompter = terminalPrompter): void {
  const apps = program.command('apps').description('Manage apps');
  apps
    .command('create [name]')
    .description('Create an app (a name like dry-pond-1475 is generated when omitted)')
    .option('--machines', 'create a legacy Machines app (deploy asks to migrate it)')
    .option('-o, --org <slug>', "the machines provider's organization (default: the server's HANGAR_FLY_ORG; personal on fleet)")
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { machines?: boolean; org?: string; json?: boolean }) => {
      const { app } = await ctx
        .api()
        .request<{ app: AppSummary }>('POST', '/v1/apps', { ...(name ? { name } : {}), ...(opts.machines ? { machines: true } : {}), ...(opts.org ? { org: opts.org } : {}) });
      if (opts.json) ctx.json({ app });
      else ctx.out(`New app created: ${app.name}`);
    });
  apps
    .command('import <name>')
    .description("Adopt an existing app of the machines provider: machines with v2 metadata stay managed at their release, the rest unmanaged")
    .option('-o, --org <slug>', 'refuse unless the app is in this organization')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { org?: string; json?: boolean }) => {
      const result = await ctx
        .api()
        .request<{ app: AppSummary; imported: { org: string; releaseVersion: number; managed: string[]; unmanaged: string[] } }>('POST', '/v1/apps/import', { name, ...(opts.org ? { org: opts.org } : {}) });
      if (opts.json) return ctx.json(result);
      const { imported } = result;
      ctx.out(`Imported app ${name} (org ${imported.org}): ${imported.managed.length} managed machine(s), ${imported.unmanaged.length} unmanaged`);
      ctx.out(imported.releaseVersion > 0 ? `Its machines were at release v${imported.releaseVersion}; the next deploy is v${imported.releaseVersion + 1}` : 'No managed machine had a release: the next deploy is v1');
    });
  apps
    .command('list')
    .description('List apps')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { apps: list } = await ctx.api().request<{ apps: AppSummary[] }>('GET', '/v1/apps');
      if (opts.json) return ctx.json({ apps: list });
      const rows = [['NAME', 'PLATFORM', 'CURRENT RELEASE', 'RUNNING', 'QUEUED', 'CREATED']];
      for (const a of list) {
        rows.push([a.name, a.platformVersion, a.currentRelease ? `v${a.currentRelease.version}` : '-', a.runningRelease ? `v${a.runningRelease.version}` : '-', String(a.queuedReleases.length), a.createdAt]);
      }
      table(rows).forEach((l) => ctx.out(l));
    });
  apps
    .command('show [name]')
    .description('Show an app as `fly status` does: name, hostname, status, current release, image, machine counts')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { app?: string; config?: string; json?: boolean }) => {
      const app = name ?? resolveApp(opts);
      const { app: summary } = await ctx.api().request<{ app: AppSummary }>('GET', `/v1/apps/${encodeURIComponent(app)}`);
      const { machines } = await ctx.api().request<{ machines: MachineBrief[] }>('GET', `/v1/apps/${encodeURIComponent(app)}/machines`);
      const overview = appOverview(summary, machines);
      if (opts.json) return ctx.json({ app: overview });
      overviewLines(overview).forEach((l) => ctx.out(l));
    });
  apps
    .command('destroy <name>')
    .aliases(['delete', 'remove', 'rm'])
    .description('Permanently destroy an app: its machines and volumes go, its history stays; the name cannot be used again')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--json', 'print JSON')
    .action((name: string, opts: { yes?: boolean; json?: boolean }) => destroyApp(ctx, name, opts, prompter));
}

/** As `fly apps destroy`: asks `Destroy app <name>?` unless `--yes`; without a terminal, `--yes` is required (exit 2). */
async function destroyApp(ctx: CliContext, name: string, opts: { yes?: boolean; json?: boolean }, prompter: () => Prompter): Promise<void> {
  const path = `/v1/apps/${encodeURIComponent(name)}`;
  await ctx.api().request<{ app: AppSummary }>('GET', path);
  if (!opts.yes) {
    const [{ machines }, { volumes }] = await Promise.all([
      ctx.api().request<{ machines: unknown[] }>('GET', `${path}/machines`),
      ctx.api().request<{ volumes: unknown[] }>('GET', `${path}/volumes`),
    ]);
    const warning = `Destroying an app is not reversible: its ${machines.length} machine(s) and ${volumes.length} volume(s), with their data, are destroyed. Its history stays (\`hangar audit -a ${name}\`); the name cannot be used again.`;
    const ask = prompter();
    if (!ask.interactive) throw new CliError(`${warning}\n--yes must be given when not running interactively; nothing was destroyed`, ExitCode.USAGE);
    ctx.err(warning);
    if (!/^\s*y(es)?\s*$/i.test(await ask.ask(`Destroy app ${name}? [y/N] `))) {
      ctx.err(`Not destroying ${name}; nothing changed.`);
      return;
    }
  }
  const { destroyed } = await ctx.api().request<{ destroyed: DestroyedApp }>('DELETE', path);
  if (opts.json) return ctx.json({ destroyed });
  const what = `${destroyed.machines.length} machine(s), ${destroyed.volumes.length} volume(s)`;
  if (destroyed.teardown === 'complete') ctx.out(`Destroyed app ${name} (${what})`);
  else ctx.out(`Destroyed app ${name}; its ${what} are being destroyed in the background (\`hangar audit -a ${name} -t MachineDestroyed\`)`);
}
