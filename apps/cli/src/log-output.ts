import type { AppLogLine } from '@hangar/contracts';

/**
 * One line as `fly logs` prints it: time (UTC, to the second), `<process group>[<machine id>]`,
 * region, `[info]` for stdout or `[error]` for stderr, then the message, e.g.
 * `2026-12-03T16:21:05Z app[0123456789abcd] local [info] listening on :8080`.
 */
export function formatLogLine(line: AppLogLine): string {
  return `${toSecond(line.timestamp)} ${line.processGroup}[${line.machineId}] ${line.region} [${line.stream === 'stderr' ? 'error' : 'info'}] ${line.message}`;
}

/** `2026-12-03T16:21:05.123456789Z` → `2026-12-03T16:21:05Z`; anything else as given. */
function toSecond(timestamp: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(timestamp);
  return match ? `${match[1]}Z` : timestamp;
}
