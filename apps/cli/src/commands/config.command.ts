import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatConfigIssue, formatFlyToml, parseAppConfig, toJsonContract, type AppConfig } from '@hangar/app-config';
import { CliError, ExitCode } from '../cli-error';
import { readConfigFile, resolveApp, type CliContext } from '../cli-context';
import { terminalPrompter, type Prompter } from './legacy-migration';

/** `GET /v1/apps/:app/config`: the config of the app's current release. */
interface CurrentConfig {
  app: string;
  release: { id: string; version: number; image?: string };
  config: AppConfig;
}

interface RemoteOpts {
  app?: string;
  config?: string;
  json?: boolean;
}

/** `hangar config validate|show|save` (DESIGN §6.1, §7.1). */
export function registerConfig(program: Command, ctx: CliContext, prompter: () => Prompter = terminalPrompter): void {
  const config = program.command('config').description('Work with fly.toml');
  config
    .command('validate')
    .description('Validate fly.toml and print the normalised config')
    .option('-c, --config <path>', 'path to fly.toml', 'fly.toml')
    .option('--json', 'print JSON')
    .action((opts: { config: string; json?: boolean }) => {
      const file = readConfigFile(opts.config);
      if (!file) throw new CliError(`config file ${opts.config} not found`, ExitCode.USAGE);
      const parsed = parseAppConfig(file.text, { file: opts.config });
      if (!parsed.ok) {
        if (opts.json) ctx.json({ errors: parsed.errors.map((e) => ({ path: e.path, ...(e.line ? { line: e.line } : {}), message: e.message })) });
        else for (const e of parsed.errors) ctx.err(formatConfigIssue(opts.config, e));
        throw new CliError('', ExitCode.USAGE);
      }
      if (opts.json) {
        ctx.json(toJsonContract(parsed.config));
        return;
      }
      for (const w of parsed.config.warnings) ctx.err(`warning: ${opts.config}: ${w.path} ${w.message}`);
      ctx.out(`✓ Configuration is valid (${opts.config})`);
    });
  config
    .command('show')
    .alias('display')
    .description("Show the config of the app's current release: indented JSON (as `fly config show`), or --toml as `config save` writes it")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml (to find the app name)')
    .option('--toml', 'print it as fly.toml')
    .option('--json', 'print one JSON document: { app, release, config }')
    .action(async (opts: RemoteOpts & { toml?: boolean }) => {
      const current = await fetchConfig(ctx, resolveApp(opts));
      if (opts.json) ctx.json(current);
      else if (opts.toml) ctx.out(flyTomlOf(current).trimEnd());
      else ctx.out(JSON.stringify(current.config, null, 2));
    });
  config
    .command('save')
    .description("Write the config of the app's current release to fly.toml (as `fly config save`)")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'file (or directory holding fly.toml) to write', 'fly.toml')
    .option('-y, --yes', 'overwrite an existing file without asking (required when not on a terminal)')
    .option('--json', 'print JSON: { path, app, release }')
    .action((opts: RemoteOpts & { config: string; yes?: boolean }) => saveConfig(ctx, opts, prompter));
}

async function fetchConfig(ctx: CliContext, app: string): Promise<CurrentConfig> {
  return ctx.api().request<CurrentConfig>('GET', `/v1/apps/${encodeURIComponent(app)}/config`);
}

function flyTomlOf(current: CurrentConfig): string {
  return formatFlyToml(current.config, [`fly.toml app configuration file generated for ${current.app} from release v${current.release.version} by \`hangar config save\``]);
}

/** As `fly config save`: an existing file is overwritten only with `--yes` or a `y` on the terminal. */
async function saveConfig(ctx: CliContext, opts: RemoteOpts & { config: string; yes?: boolean }, prompter: () => Prompter): Promise<void> {
  const target = resolve(opts.config);
  const path = existsSync(target) && statSync(target).isDirectory() ? join(target, 'fly.toml') : target;
  // The app name comes from -a, else from the file about to be replaced.
  const current = await fetchConfig(ctx, resolveApp({ ...(opts.app ? { app: opts.app } : {}), config: existsSync(path) ? path : undefined }));
  if (existsSync(path) && !opts.yes) {
    const ask = prompter();
    if (!ask.interactive) throw new CliError(`${opts.config} exists: --yes must be given to overwrite it when not running interactively; nothing was written`, ExitCode.USAGE);
    if (!/^\s*y(es)?\s*$/i.test(await ask.ask(`An existing configuration file has been found\nOverwrite file '${path}'? [y/N] `))) {
      ctx.err(`Not overwriting ${path}; nothing was written.`);
      return;
    }
  }
  writeFileSync(path, flyTomlOf(current));
  if (opts.json) return ctx.json({ path, app: current.app, release: current.release });
  ctx.out(`Wrote config file ${path}`);
}
