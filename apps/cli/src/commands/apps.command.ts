import type { Command } from 'commander';
import type { AppSummary } from '@hangar/contracts';
import { table, type CliContext } from '../cli-context';

/** `hangar apps create [name] [--machines]`, `hangar apps list`. */
export function registerApps(program: Command, ctx: CliContext): void {
  const apps = program.command('apps').description('Manage apps');
  apps
    .command('create [name]')
    .description('Create an app (a name like dry-pond-1475 is generated when omitted)')
    .option('--machines', 'create a legacy Machines app (deploy asks to migrate it)')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { machines?: boolean; json?: boolean }) => {
      const { app } = await ctx.api().request<{ app: AppSummary }>('POST', '/v1/apps', { ...(name ? { name } : {}), ...(opts.machines ? { machines: true } : {}) });
      if (opts.json) ctx.json({ app });
      else ctx.out(`New app created: ${app.name}`);
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
}
