import type { Command } from 'commander';
import type { PushLogEntry, TriggerLogEntry, TriggerView } from '@hangar/contracts';
import { resolveApp, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { formatPushLog, formatTriggerLog, formatTriggers, parseLimit } from '../registry-output';

interface AppOptions {
  app?: string;
  config?: string;
  json?: boolean;
}

/** `hangar triggers add|list|remove|log` (issue 6): which registry pushes deploy which app, and why each did or did not. */
export function registerTriggers(program: Command, ctx: CliContext): void {
  const triggers = program.command('triggers').description('Manage image triggers: registry pushes that deploy an app');
  const appOptions = (cmd: Command) =>
    cmd.option('-a, --app <app>', 'app name (default: app in fly.toml)').option('-c, --config <path>', 'path to fly.toml').option('--json', 'print JSON');

  appOptions(triggers.command('add').description('Deploy the app when a tag its policy accepts is pushed to the image'))
    .requiredOption('--image <image>', 'HOST/REPO, e.g. ghcr.io/acme/web or docker.io/library/nginx')
    .requiredOption('--tag-policy <policy>', 'exact:TAG | semver:RANGE | glob:PATTERN')
    .action(async (opts: AppOptions & { image: string; tagPolicy: string }) => {
      const app = resolveApp(opts);
      const { trigger } = await ctx.api().request<{ trigger: TriggerView }>('POST', `/v1/apps/${app}/triggers`, { image: opts.image, tagPolicy: opts.tagPolicy });
      if (opts.json) return ctx.json({ trigger });
      ctx.out(`Trigger ${trigger.id} added: pushes of ${trigger.image} with a tag matching ${trigger.tagPolicy} deploy ${trigger.app}`);
    });

  appOptions(triggers.command('list').description("List the app's triggers")).action(async (opts: AppOptions) => {
    const app = resolveApp(opts);
    const { triggers: list } = await ctx.api().request<{ triggers: TriggerView[] }>('GET', `/v1/apps/${app}/triggers`);
    if (opts.json) return ctx.json({ triggers: list });
    formatTriggers(app, list).forEach((l) => ctx.out(l));
  });

  appOptions(triggers.command('remove <id>').description('Remove a trigger of the app')).action(async (id: string, opts: AppOptions) => {
    const app = resolveApp(opts);
    const { trigger } = await ctx.api().request<{ trigger: { id: string } }>('DELETE', `/v1/apps/${app}/triggers/${encodeURIComponent(id)}`);
    if (opts.json) return ctx.json({ trigger });
    ctx.out(`Trigger ${trigger.id} removed from ${app}`);
  });

  appOptions(triggers.command('log').description("What came of each push the app's triggers followed (deployed, or skipped and why)"))
    .option('--all', 'every push recorded, whatever app it concerns (admin), with what came of it')
    .option('--image <image>', 'with --all: only pushes of HOST/REPO')
    .option('--limit <n>', 'at most n entries, newest first (1-1000)')
    .action(async (opts: AppOptions & { all?: boolean; image?: string; limit?: string }) => {
      const limit = parseLimit(opts.limit);
      if (opts.all) {
        const query = new URLSearchParams({ ...(limit !== undefined ? { limit: String(limit) } : {}), ...(opts.image ? { image: opts.image } : {}) }).toString();
        const { pushes } = await ctx.api().request<{ pushes: PushLogEntry[] }>('GET', `/v1/pushes${query ? `?${query}` : ''}`);
        if (opts.json) return ctx.json({ pushes });
        return formatPushLog(pushes).forEach((l) => ctx.out(l));
      }
      if (opts.image) throw new CliError('--image filters the log of every push: use it with --all', ExitCode.USAGE);
      const app = resolveApp(opts);
      const { entries } = await ctx.api().request<{ entries: TriggerLogEntry[] }>('GET', `/v1/apps/${app}/triggers/log${limit !== undefined ? `?limit=${limit}` : ''}`);
      if (opts.json) return ctx.json({ entries });
      formatTriggerLog(app, entries).forEach((l) => ctx.out(l));
    });
}
