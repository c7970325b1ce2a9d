import type { AppLogLine } from '@hangar/contracts';
import type { SimMachine } from '../machines/domain/sim.types';

/** Who printed a line: the machine fields every line of it carries. */
export type LineOrigin = Pick<AppLogLine, 'machineId' | 'instanceId' | 'region' | 'processGroup'>;

/** `podman logs --timestamps` puts an RFC 3339 time with nanoseconds and one space before each line. */
const PODMAN_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?)(Z|[+-]\d\d:\d\d) (.*)$/s;

export function originOf(m: Pick<SimMachine, 'id' | 'instanceId' | 'region' | 'config'>): LineOrigin {
  return { machineId: m.id, instanceId: m.instanceId, region: m.region, processGroup: m.config.metadata?.fly_process_group ?? 'app' };
}

/**
 * One line of `podman logs --timestamps` output on `stream`, or null for a line without the time
 * prefix: podman's own messages ("Error: no such container") share its stderr with the container's.
 */
export function parsePodmanLine(raw: string, stream: AppLogLine['stream'], origin: LineOrigin): AppLogLine | null {
  const match = PODMAN_LINE.exec(raw.replace(/\r$/, ''));
  if (!match) return null;
  const [, local, zone, message] = match;
  const timestamp = zone === 'Z' ? `${local}Z` : toUtc(`${local}${zone}`, local!);
  return { timestamp, ...origin, stream, message: message! };
}

/** The sim's stored lines of a machine: printed when it last changed state, on stdout. */
export function simLines(m: Pick<SimMachine, 'id' | 'instanceId' | 'region' | 'config' | 'logs' | 'stateEnteredAt'>, from = 0): AppLogLine[] {
  const timestamp = new Date(m.stateEnteredAt).toISOString();
  return m.logs.slice(from).map((message) => ({ timestamp, ...originOf(m), stream: 'stdout' as const, message }));
}

/**
 * A key that sorts as the time does: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn` (UTC, fraction padded to
 * nanoseconds), so podman's nanoseconds and `Date`'s milliseconds compare correctly.
 */
export function timeKey(timestamp: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(timestamp);
  if (match) return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}`;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? timestamp : timeKey(new Date(ms).toISOString());
}

/**
 * Merges lists that are each in time order (one container's stdout, its stderr, another machine's)
 * into one in time order. Stable: lines with the same time keep their list's order, and the earlier
 * list goes first, so a container's lines written in one chunk stay together.
 */
export function mergeByTime(lists: readonly (readonly AppLogLine[])[]): AppLogLine[] {
  const keyed = lists.flatMap((list, source) => list.map((line, index) => ({ line, key: timeKey(line.timestamp), source, index })));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.source - b.source || a.index - b.index));
  return keyed.map((k) => k.line);
}

/** Lines at or after `since` (an RFC 3339 time); all when it is undefined. */
export function linesSince(lines: readonly AppLogLine[], since: string | undefined): AppLogLine[] {
  if (since === undefined) return [...lines];
  const from = timeKey(since);
  return lines.filter((l) => timeKey(l.timestamp) >= from);
}

function toUtc(withZone: string, local: string): string {
  const fraction = /\.(\d+)$/.exec(local)?.[1] ?? '';
  const seconds = new Date(Date.parse(withZone)).toISOString().slice(0, 19);
  return `${seconds}${fraction ? `.${fraction}` : ''}Z`;
}
