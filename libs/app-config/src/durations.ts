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
 * Reads a fly.toml duration as whole milliseconds (rounded), or `undefined` when it is not one.
 *
 * Accepts Go duration strings (`"10s"`, `"5m"`, `"1m30s"`, `"500ms"`, `"1h"`, `"1.5s"`, `"0"`) and
 * non-negative numbers. **A bare number is milliseconds everywhere** (`interval = 10000` is 10s,
 * `kill_timeout = 5` is 5ms), matching what the fly.toml docs say for check intervals; flyctl itself
 * reads bare numbers outside checks as nanoseconds, which nobody means. Negative values are rejected.
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
