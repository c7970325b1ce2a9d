import { parse, TomlError } from 'smol-toml';
import { ErrorCodes, HangarError } from '@hangar/contracts';
import type { AppConfig, ConfigIssue } from './app-config.types';
import { IssueCollector, Section, type RawTable } from './config-reader';
import { numbersFromToml } from './go-format';
import { normalizeAppConfig } from './normalize-app-config';
import { createTomlLocator, type KeySegment } from './toml-locator';
import { validateAppConfig } from './validate-app-config';

export interface ParseAppConfigOptions {
  /**
   * File name used in messages; default `fly.toml`. Issues themselves carry no file name (pass it to
   * `formatConfigIssue`); `parseAppConfigOrThrow` uses it in its message.
   */
  file?: string;
}

export type ParseAppConfigResult = { ok: true; config: AppConfig } | { ok: false; errors: ConfigIssue[] };

function syntaxIssue(error: unknown): ConfigIssue {
  if (error instanceof TomlError) {
    // smol-toml appends a code excerpt after a blank line; the first line is the message.
    const message = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    return { path: '', line: error.line, message: `invalid TOML: ${message}` };
  }
  return { path: '', message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}` };
}

function byLine(a: ConfigIssue, b: ConfigIssue): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Parses fly.toml text (TOML 1.0) into the normalised `AppConfig` (DESIGN §6.1), tolerating the
 * shapes real files use. Pure: no I/O, no defaults filled in beyond `processes` (`{ app: "" }`
 * when the file has none). Unknown keys become `config.warnings`, never errors.
 *
 * @returns every issue found (sorted by line), or the config; a syntax error is one issue on the
 *   line smol-toml reports, with an empty `path`.
 */
export function parseAppConfig(text: string, opts: ParseAppConfigOptions = {}): ParseAppConfigResult {
  let raw: RawTable;
  try {
    // Integers as bigints first, so an integer and a float literal stay apart where flyctl prints them.
    raw = parse(text, { unsafeKeyBehaviour: 'drop', integersAsBigInt: true }) as RawTable;
  } catch (error) {
    return { ok: false, errors: [syntaxIssue(error)] };
  }
  numbersFromToml(raw);
  const issues = new IssueCollector(createTomlLocator(text), raw);
  // Nothing downstream can store a NUL (Postgres text and jsonb refuse it): refuse it here, by key.
  for (const path of pathsWithNul(raw)) issues.error(path, 'must not contain a NUL character');
  const normalized = normalizeAppConfig(new Section(issues, [], raw));
  validateAppConfig(normalized, issues);
  if (issues.errors.length > 0) return { ok: false, errors: [...issues.errors].sort(byLine) };
  return { ok: true, config: normalized.config };
}

/**
 * One issue as a line of CLI output: `fly.toml:12: [deploy].strategy must be one of …`, or
 * `fly.toml: <path> <message>` when the issue has no line.
 */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? `${file}:` : `${file}:${issue.line}:`;
  return [where, issue.path, issue.message].filter((part) => part !== '').join(' ');
}

/** The document `hangar config validate --json` prints for invalid input (DESIGN §6.1). */
export function toJsonErrors(issues: readonly ConfigIssue[]): { errors: ConfigIssue[] } {
  return { errors: issues.map((i) => (i.line === undefined ? { path: i.path, message: i.message } : { path: i.path, line: i.line, message: i.message })) };
}

/**
 * `parseAppConfig` for callers that want an exception: throws `HangarError` `CONFIG.INVALID` whose
 * message is every formatted issue (one per line) and whose details are `{ file, errors }`.
 */
export function parseAppConfigOrThrow(text: string, opts: ParseAppConfigOptions = {}): AppConfig {
  const result = parseAppConfig(text, opts);
  if (result.ok) return result.config;
  const file = opts.file ?? 'fly.toml';
  const message = result.errors.map((issue) => formatConfigIssue(file, issue)).join('\n');
  throw new HangarError(ErrorCodes.CONFIG_INVALID, message, { file, errors: result.errors });
}

/** Paths of every string value (or key) in the parsed TOML that holds a NUL character. */
function pathsWithNul(root: RawTable): KeySegment[][] {
  const found: KeySegment[][] = [];
  const walk = (value: unknown, path: KeySegment[]): void => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push(path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) found.push([...path, key]);
        else walk(child, [...path, key]);
      }
    }
  };
  walk(root, []);
  return found;
}
