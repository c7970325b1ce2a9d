import type { Command } from 'commander';
import { formatConfigIssue, parseAppConfig } from '@hangar/app-config';
import { CliError, ExitCode } from '../cli-error';
import { readConfigFile, type CliContext } from '../cli-context';
import { renderDeployEvent, type ReleaseFeedEvent } from '../deploy-output';
import { parseSse } from '../sse';

interface DeployOptions {
  config?: string;
  app?: string;
  image?: string;
  strategy?: string;
  maxUnavailable?: string;
  waitTimeout?: string;
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
  program
    .command('deploy')
    .description('Create a new release of the app and roll its machines to it')
    .option('-c, --config <path>', 'path to fly.toml', 'fly.toml')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-i, --image <ref>', 'image to deploy (default: [build].image)')
    .option('--strategy <strategy>', 'rolling, immediate, canary or bluegreen')
    .option('--max-unavailable <n>', 'machines (≥ 1) or fraction (< 1) updated at once')
    .option('--wait-timeout <duration>', 'how long to wait for a machine to become healthy, e.g. 5m')
    .option('--detach', 'return once the release is created')
    .option('--json', 'print NDJSON of the release events, then the release')
    .action(async (opts: DeployOptions) => {
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
      const api = ctx.api();
      const { release } = await api.request<{ release: ReleaseRef }>('POST', `/v1/apps/${app}/deploys`, {
        configToml: file.text,
        ...(opts.image ? { image: opts.image } : {}),
        ...(opts.strategy ? { strategy: opts.strategy } : {}),
        ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
        ...(opts.waitTimeout ? { waitTimeout: opts.waitTimeout } : {}),
      });
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
  for await (const msg of parseSse(res.body!)) {
    if (msg.event === 'end') break;
    const event = JSON.parse(msg.data) as ReleaseFeedEvent;
    if (json) ctx.json(event);
    const rendered = renderDeployEvent(event, app);
    if (!json) {
      rendered.stdout.forEach((l) => ctx.out(l));
    }
    rendered.stderr.forEach((l) => ctx.err(l));
    if (rendered.final) return rendered.final;
  }
  throw new CliError(`lost the event stream of release v${release.version}; it continues on the server: hangar releases show v${release.version} -a ${app}`, ExitCode.UNREACHABLE);
}
