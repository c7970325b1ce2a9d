import type { Command } from 'commander';
import type { ReleaseOptions, ReleaseSummary } from '@hangar/contracts';
import { formatGoDuration } from '@hangar/app-config';
import { resolveApp, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { followRelease } from './deploy.command';
import { releaseTimeline, type TimelineEvent } from '../release-timeline';

interface Opts {
  app?: string;
  config?: string;
  json?: boolean;
  follow?: boolean;
}

/** `hangar releases [list|show vN]` (DESIGN §6.5, §7.1). */
export function registerReleases(program: Command, ctx: CliContext): void {
  const releases = program
    .command('releases')
    .description("List and inspect the app's releases")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action((opts: Opts) => list(ctx, opts));
  releases
    .command('list')
    .description('List releases, newest first')
    .option('-a, --app <app>', 'app name')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action((opts: Opts, cmd: Command) => list(ctx, { ...cmd.parent!.opts<Opts>(), ...opts }));
  releases
    .command('show <version>')
    .description('Show one release; --follow streams it until it ends')
    .option('-a, --app <app>', 'app name')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--follow', 'stream the release events until it ends')
    .option('--json', 'print JSON')
    .action(async (version: string, opts: Opts, cmd: Command) => {
      const o = { ...cmd.parent!.opts<Opts>(), ...opts };
      const app = resolveApp(o);
      const v = version.replace(/^v/, '');
      const { release } = await ctx.api().request<{ release: ReleaseSummary }>('GET', `/v1/apps/${app}/releases/v${v}`);
      if (o.follow) {
        const final = await followRelease(ctx, app, release, Boolean(o.json));
        if (final.exitCode !== 0) throw new CliError('', final.exitCode);
        return;
      }
      if (o.json) return ctx.json({ release });
      const lines: [string, string][] = [
        ['Version', `v${release.version}`],
        ['ID', release.id],
        ['Status', release.status],
        ['Trigger', release.trigger],
        ['Actor', release.actor],
        ['Strategy', release.strategy],
        ['Image', release.image],
        ['Created', release.createdAt],
        ['Finished', release.finishedAt ?? '-'],
      ];
      if (release.options) lines.push(['Flags', deployFlagsText(release.options)]);
      if (release.filters) lines.push(['Filtered', `${release.filters.applied.join('/')}: deploying to ${release.filters.selected}/${release.filters.total} machines`]);
      if (release.machines) lines.push(['Machines', `${release.machines.succeeded}/${release.machines.total} updated, ${release.machines.failed} failed`]);
      if (release.reason) lines.push(['Reason', release.reason]);
      table(lines.map(([k, val]) => [`${k}:`, val])).forEach((l) => ctx.out(l));
      const { events } = await ctx.api().request<{ events: TimelineEvent[] }>('GET', `/v1/apps/${app}/releases/v${v}/events`);
      ctx.out();
      ctx.out('Timeline:');
      table(releaseTimeline(events)).forEach((l) => ctx.out(`  ${l}`));
    });
  registerReleaseActions(releases, ctx);
}

/** `releases rollback [vN]` and `releases cancel vN` (DESIGN §6.5). */
export function registerReleaseActions(releases: Command, ctx: CliContext): void {
  releases
    .command('rollback [version]')
    .description('Create a new release of vN\'s image and config (default: the last complete release before the current one)')
    .option('-a, --app <app>', 'app name')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--restore-secrets', "also use vN's secrets version (default: the app's current secrets)")
    .option('--detach', 'return once the release is created')
    .option('--json', 'print JSON')
    .action(async (version: string | undefined, opts: Opts & { detach?: boolean; restoreSecrets?: boolean }, cmd: Command) => {
      const o = { ...cmd.parent!.opts<Opts>(), ...opts };
      const app = resolveApp(o);
      const target = version ? `v${version.replace(/^v/, '')}` : 'previous';
      const { release } = await ctx.api().request<{ release: { id: string; version: number; status: string } }>(
        'POST',
        `/v1/apps/${app}/releases/${target}/rollback`,
        opts.restoreSecrets ? { restoreSecrets: true } : {},
      );
      if (!o.json) ctx.out(`Rollback release v${release.version} ${release.status}`);
      if (opts.detach) return o.json ? ctx.json({ release }) : undefined;
      const final = await followRelease(ctx, app, release, Boolean(o.json));
      if (o.json) ctx.json({ release: { ...release, status: final.status } });
      if (final.exitCode !== 0) throw new CliError('', final.exitCode);
    });
  releases
    .command('cancel <version>')
    .description('Cancel a queued release, or stop a running one between operations')
    .option('-a, --app <app>', 'app name')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (version: string, opts: Opts, cmd: Command) => {
      const o = { ...cmd.parent!.opts<Opts>(), ...opts };
      const app = resolveApp(o);
      const { release } = await ctx.api().request<{ release: { version: number; status: string } }>('POST', `/v1/apps/${app}/releases/v${version.replace(/^v/, '')}/cancel`);
      if (o.json) return ctx.json({ release });
      ctx.out(release.status === 'cancelled' ? `Release v${release.version} cancelled` : `Release v${release.version} is cancelling: operations in flight finish, nothing new starts`);
    });
}

async function list(ctx: CliContext, opts: Opts): Promise<void> {
  const app = resolveApp(opts);
  const { releases } = await ctx.api().request<{ releases: ReleaseSummary[] }>('GET', `/v1/apps/${app}/releases`);
  if (opts.json) {
    ctx.json({
      releases: releases.map((r) => ({
        id: r.id,
        version: r.version,
        status: r.status,
        trigger: r.trigger,
        actor: r.actor,
        image: r.image,
        strategy: r.strategy,
        createdAt: r.createdAt,
        ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
      })),
    });
    return;
  }
  if (releases.length === 0) throw new CliError(`app ${app} has no releases yet`, ExitCode.OK);
  const rows = [['VERSION', 'STATUS', 'TRIGGER', 'ACTOR', 'STRATEGY', 'IMAGE', 'CREATED']];
  for (const r of releases) rows.push([`v${r.version}`, r.status, r.trigger, r.actor, r.strategy, r.image, r.createdAt]);
  table(rows).forEach((l) => ctx.out(l));
}

/** The deploy flags a release recorded, written back as flags: `-e LOG_LEVEL=debug --only-machines 0123… --update-only`. */
export function deployFlagsText(o: ReleaseOptions): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(o.env ?? {})) parts.push(`-e ${name}=${value === '' || /[\s'"]/.test(value) ? JSON.stringify(value) : value}`);
  const lists: [string, string[] | undefined][] = [
    ['--regions', o.onlyRegions],
    ['--exclude-regions', o.excludeRegions],
    ['--only-machines', o.onlyMachines],
    ['--exclude-machines', o.excludeMachines],
    ['--process-groups', o.processGroups],
  ];
  for (const [flag, values] of lists) if (values?.length) parts.push(`${flag} ${values.join(',')}`);
  if (o.skipReleaseCommand) parts.push('--skip-release-command');
  if (o.updateOnly) parts.push('--update-only');
  if (o.ha !== undefined) parts.push(`--ha=${o.ha}`);
  if (o.leaseTimeoutMs !== undefined) parts.push(`--lease-timeout ${formatGoDuration(o.leaseTimeoutMs)}`);
  if (o.imageLabel !== undefined) parts.push(`--image-label ${o.imageLabel} (recorded only)`);
  return parts.join(' ') || '-';
}
