import type { Command } from 'commander';
import { formatConfigIssue, parseAppConfig, toJsonContract } from '@hangar/app-config';
import { CliError, ExitCode } from '../cli-error';
import { readConfigFile, type CliContext } from '../cli-context';

/** `hangar config validate [-c fly.toml] [--json]` (DESIGN §6.1). */
export function registerConfig(program: Command, ctx: CliContext): void {
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
}
