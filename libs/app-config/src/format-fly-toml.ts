import { stringify } from 'smol-toml';
import type { AppConfig } from './app-config.types';
import { toFlyToml } from './normalized-app-config';

/** fly.toml keys whose values are durations: written the way people write them (`"5m"`, `"1m30s"`). */
const DURATION_KEYS = new Set(['kill_timeout', 'wait_timeout', 'release_command_timeout', 'interval', 'timeout', 'grace_period']);
const UNITS: readonly [string, number][] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * The fly.toml text of a normalised config (`hangar config save`): snake_case keys, durations as Go
 * duration strings, `[http_service]` as the `[[services]]` entry it normalised to, empty sections left
 * out. Reading the text back gives the same normalised config (warnings aside). `header` lines are
 * written first as `#` comments.
 */
export function formatFlyToml(config: AppConfig, header: readonly string[] = []): string {
  const { warnings: _warnings, ...rest } = config;
  const table = tidy(toFlyToml(rest as unknown as Record<string, unknown>)) as Record<string, unknown>;
  const comments = header.map((line) => `# ${line}`.trimEnd()).join('\n');
  return `${comments ? `${comments}\n\n` : ''}${stringify(table).trim()}\n`;
}

/** Milliseconds as a Go duration: `90000` → `1m30s`, `0` → `0s`. */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let left = ms;
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(left / size);
    if (n > 0) text += `${n}${unit}`;
    left -= n * size;
  }
  return text;
}

/** Durations made readable; empty tables and lists dropped (a TOML file without them means the same). */
function tidy(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key !== undefined && DURATION_KEYS.has(key)) {
    const m = /^(\d+)ms$/.exec(value);
    return m ? formatDurationMs(Number(m[1])) : value;
  }
  if (Array.isArray(value)) return value.map((item) => tidy(item));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value)
    .map(([k, v]) => [k, tidy(v, k)] as const)
    .filter(([, v]) => !(Array.isArray(v) && v.length === 0) && !(isPlainTable(v) && Object.keys(v).length === 0));
  return Object.fromEntries(entries);
}

function isPlainTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
