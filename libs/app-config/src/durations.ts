/** Milliseconds per Go duration unit (`time.ParseDuration`), which is what fly.toml strings follow. */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** The hint shown when a duration cannot be read. */
export const DURATION_HINT = 'must be a duration like "5m" or "30s"';

/**
 * Reads a duration as whole milliseconds (rounded), or `undefined` when it is not one: a Go duration
 * string (`"10s"`, `"5m"`, `"1m30s"`, `"2500ms"`, `"1h"`, `"1.5s"`, `"0"`; surrounding blanks ignored;
 * negative durations and `""` rejected) or a non-negative number taken as milliseconds.
 *
 * This is the unit-explicit reading that machine configs and CLI flags use. A bare number in fly.toml
 * means what flyctl makes it mean for that key, which is not always milliseconds: the config reader
 * applies that (`Section.duration`, see `DurationStyle`), not this function.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const at = TERM.lastIndex;
    const match = TERM.exec(text);
    if (!match || match.index !== at) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Math.round(total);
}

/**
 * Milliseconds as Go's `time.Duration.String()` prints them (`500ms`, `1.5s`, `1m30s`, `2m0s`, `1h0m0s`),
 * so a warning shows a duration the way flyctl's does.
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  return minutes > 0 ? `${minutes}m${secondsText}` : secondsText;
}
