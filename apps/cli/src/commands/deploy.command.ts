import type { Command } from 'commander';
import { formatConfigIssue, parseAppConfig } from '@hangar/app-config';
import { CliError, ExitCode } from '../cli-error';
import { readConfigFile, table, type CliContext } from '../cli-context';
import { DeployRenderer, filterLines, type FilterOutcome, type ReleaseFeedEvent, type RenderedEvent } from '../deploy-output';
import { parseSse } from '../sse';
import { addDeployFlags, deployFlagsBody, type DeployFlagOptions } from './deploy-flags';
import { deployConfirmingMigration } from './legacy-migration';

interface DeployOptions extends DeployFlagOptions {
  config?: string;
  app?: string;
  image?: string;
  strategy?: string;
  maxUnavailable?: string;
  waitTimeout?: string;
  releaseCommandTimeout?: string;
  dryRun?: boolean;
  yes?: boolean;
  detach?: boolean;
  json?: boolean;
}

interface ReleaseRef {
  id: string;
  version: number;
  status: string;
}

/** `hangar deploy` (DESIGN §7.1): validate locally, create the release, follow its events. */
export function registerDeploy(program: Command, ctx: CliContext): void {
  const deploy = program
    .command('deploy')
    .description('Create a new release of the app and roll its machines to it')
    .option('-c, --config <path>', 'path to fly.toml', 'fly.toml')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-i, --image <ref>', 'image to deploy (default: [build].image)')
    .option('--strategy <strategy>', 'rolling, immediate, canary or bluegreen')
    .option('--max-unavailable <n>', 'machines (≥ 1) or fraction (< 1) updated at once')
    .option('--wait-timeout <duration>', 'how long to wait for a machine to become healthy, e.g. 5m')
    .option('--release-command-timeout <duration>', 'time limit of the release command, e.g. 10m, or none');
  addDeployFlags(deploy)
    .option('--dry-run', 'print the plan (per machine: action, from release → to release) and change nothing')
    .option('-y, --yes', 'answer yes to confirmations (migrating a legacy app to Apps V2, detaching volumes when [mounts] is removed)')
    .option('--detach', 'return once the release is created')
    .option('--json', 'print NDJSON of the release events, then the release')
    .action(async (opts: DeployOptions) => {
      const flags = deployFlagsBody(opts);
      const file = readConfigFile(opts.config);
      if (!file) throw new CliError(`config file ${opts.config ?? 'fly.toml'} not found`, ExitCode.USAGE);
      const parsed = parseAppConfig(file.text, { file: opts.config ?? 'fly.toml' });
      if (!parsed.ok) {
        for (const e of parsed.errors) ctx.err(formatConfigIssue(opts.config ?? 'fly.toml', e));
        throw new CliError('', ExitCode.USAGE);
      }
      const app = opts.app ?? parsed.config.app;
      if (!app) throw new CliError('no app given: pass -a <app> or set app in fly.toml', ExitCode.USAGE);
      const maxUnavailable = opts.maxUnavailable === undefined ? undefined : Number(opts.maxUnavailable);
      if (maxUnavailable !== undefined && !(maxUnavailable > 0)) throw new CliError(`--max-unavailable must be a number > 0; got "${opts.maxUnavailable}"`, ExitCode.USAGE);
      if (flags.imageLabel !== undefined) ctx.err('--image-label is recorded in the release only: Hangar builds and pushes no image for it to tag');
      const api = ctx.api();
      const send = (migrateToV2: boolean) => api.request<{ release: ReleaseRef; dryRun?: DryRunPlan }>('POST', `/v1/apps/${app}/deploys`, {
        configToml: file.text,
        ...(opts.image ? { image: opts.image } : {}),
        ...(opts.strategy ? { strategy: opts.strategy } : {}),
        ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
        ...(opts.waitTimeout ? { waitTimeout: opts.waitTimeout } : {}),
        ...(opts.releaseCommandTimeout ? { releaseCommandTimeout: opts.releaseCommandTimeout } : {}),
        ...flags,
        ...(opts.dryRun ? { dryRun: true } : {}),
        ...(migrateToV2 ? { migrateToV2: true } : {}),
        ...(opts.yes ? { allowVolumeDetach: true } : {}),
      });
      const response = await deployConfirmingMigration(ctx, send, { yes: opts.yes });
      if (response.dryRun) {
        printDryRun(ctx, response.dryRun, Boolean(opts.json));
        return;
      }
      const { release } = response;
      if (opts.detach) {
        if (opts.json) ctx.json({ release });
        else ctx.out(`Release v${release.version} ${release.status}; follow it with: hangar releases show v${release.version} -a ${app}`);
        return;
      }
      if (release.status === 'queued' && !opts.json) ctx.out(`Release v${release.version} is queued behind the release running on ${app}`);
      const final = await followRelease(ctx, app, release, Boolean(opts.json));
      if (opts.json) ctx.json({ release: { id: release.id, version: release.version, status: final.status } });
      if (final.exitCode !== 0) throw new CliError('', final.exitCode);
    });
}

/** Streams the release's events until its end; prints them as deploy lines or NDJSON. */
export async function followRelease(ctx: CliContext, app: string, release: ReleaseRef, json: boolean): Promise<{ status: string; exitCode: number }> {
  const res = await ctx.api().stream(`/v1/apps/${app}/releases/v${release.version}/events?follow=true`);
  const renderer = new DeployRenderer(app);
  let final: RenderedEvent['final'];
  let rollback: ReleaseRef | undefined;
  for await (const msg of parseSse(res.body!)) {
    if (msg.event === 'end') break;
    const event = JSON.parse(msg.data) as ReleaseFeedEvent;
    if (json) ctx.json(event);
    const rendered = renderer.render(event);
    if (!json) rendered.stdout.forEach((l) => ctx.out(l));
    rendered.stderr.forEach((l) => ctx.err(l));
    final ??= rendered.final;
    if (event.type === 'ReleaseRolledBack') {
      rollback = { id: String(event.data.rollbackReleaseId), version: Number(event.data.rollbackVersion), status: 'running' };
    }
  }
  if (rollback) {
    // The automatic rollback is part of what this deploy did: follow it too; the deploy still failed.
    await followRelease(ctx, app, rollback, json);
  }
  if (final) return final;
  throw new CliError(`lost the event stream of release v${release.version}; it continues on the server: hangar releases show v${release.version} -a ${app}`, ExitCode.UNREACHABLE);
}

interface DryRunPlan {
  app: string;
  version: number;
  strategy: string;
  image: string;
  releaseCommand?: string;
  filters?: FilterOutcome;
  entries: { machineId?: string; processGroup: string; region: string; action: string; fromVersion?: number; toVersion: number }[];
}

function printDryRun(ctx: CliContext, plan: DryRunPlan, json: boolean): void {
  if (json) return ctx.json({ dryRun: plan });
  ctx.out(`Dry run: release v${plan.version} of ${plan.app} with ${plan.strategy} strategy, image ${plan.image} (nothing changed)`);
  if (plan.releaseCommand) ctx.out(`  release_command: ${plan.releaseCommand}`);
  filterLines(plan.filters, plan.app).forEach((l) => ctx.err(l));
  const rows = [['MACHINE', 'GROUP', 'REGION', 'ACTION', 'RELEASE']];
  for (const e of plan.entries) {
    rows.push([e.machineId ?? '(new)', e.processGroup, e.region, e.action, `${e.fromVersion === undefined ? '-' : `v${e.fromVersion}`} → v${e.toVersion}`]);
  }
  table(rows).forEach((l) => ctx.out(`  ${l}`));
}
