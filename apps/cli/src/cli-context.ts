import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAppConfig } from '@hangar/app-config';
import { ApiClient } from './api-client';
import { CliError, ExitCode } from './cli-error';
import { cliConfig } from './cli.config';

/** What every command gets: the API client and output helpers. */
export interface CliContext {
  api(): ApiClient;
  out(line?: string): void;
  err(line: string): void;
  json(value: unknown): void;
}

export function defaultContext(): CliContext {
  return {
    api: () => new ApiClient(cliConfig()),
    out: (line = '') => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    json: (value) => process.stdout.write(`${JSON.stringify(value)}\n`),
  };
}

/** Reads the config file; a missing `-c` file is a usage error, a missing default one is `undefined`. */
export function readConfigFile(path: string | undefined): { path: string; text: string } | undefined {
  const file = resolve(path ?? 'fly.toml');
  if (!existsSync(file)) {
    if (path) throw new CliError(`config file ${path} not found`, ExitCode.USAGE);
    return undefined;
  }
  return { path: file, text: readFileSync(file, 'utf8') };
}

/** `-a app` defaults to the `app` of `./fly.toml` (DESIGN §7.1). */
export function resolveApp(opts: { app?: string; config?: string }): string {
  if (opts.app) return opts.app;
  const file = readConfigFile(opts.config);
  if (file) {
    const parsed = parseAppConfig(file.text, { file: file.path });
    if (parsed.ok && parsed.config.app) return parsed.config.app;
  }
  throw new CliError('no app given: pass -a <app> or set app in fly.toml', ExitCode.USAGE);
}

/** Left-aligned columns for human output. */
export function table(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** commander's argument parser for a repeatable option: every value given, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
