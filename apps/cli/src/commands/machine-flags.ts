import { KILL_SIGNALS, parseDurationMs } from '@hangar/app-config';
import { CliError, ExitCode } from '../cli-error';

/** Longest `--timeout` (kill timeout) the API takes. */
const MAX_KILL_TIMEOUT_MS = 5 * 60_000;

/**
 * `-s/--signal`: a signal name with or without `SIG`, any case (`term`, `SIGTERM`), as flyctl
 * upper-cases it; one the machines API does not know is a usage error naming the ones it does.
 */
export function parseSignal(raw: string): string {
  const upper = raw.trim().toUpperCase();
  const signal = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (!(KILL_SIGNALS as readonly string[]).includes(signal)) {
    throw new CliError(`--signal: unknown signal "${raw}"; use one of ${KILL_SIGNALS.join(', ')}`, ExitCode.USAGE);
  }
  return signal;
}

/**
 * A duration flag: whole seconds (`30`, what flyctl's `--timeout` takes) or a Go duration (`30s`,
 * `1m30s`, `500ms`), in milliseconds; anything else is a usage error naming the flag.
 */
export function parseDurationFlag(flag: string, raw: string): number {
  const text = raw.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDurationMs(text);
  if (ms === undefined || text === '') throw new CliError(`${flag}: "${raw}" is not a duration; give seconds (30) or a duration like 30s or 1m30s`, ExitCode.USAGE);
  return ms;
}

/** `--timeout` of stop and restart: how long the machine gets after the signal before SIGKILL, as the Go duration the API takes. */
export function parseKillTimeout(raw: string): string {
  const ms = parseDurationFlag('--timeout', raw);
  if (ms > MAX_KILL_TIMEOUT_MS) throw new CliError(`--timeout: at most 5m; got "${raw}"`, ExitCode.USAGE);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
