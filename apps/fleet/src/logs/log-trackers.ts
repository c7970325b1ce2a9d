import type { AppLogLine } from '@hangar/contracts';
import type { SimMachine } from '../machines/domain/sim.types';
import { containerName } from '../runtime/container-spec';
import type { ContainerLogs } from './container-logs';
import { mergeByTime, originOf, simLines, timeKey } from './log-lines';

/**
 * What a runtime's machines printed: `backlog` once, then `poll` about every second while following,
 * each new line to `emit` exactly once.
 */
export interface LogTracker {
  backlog(machines: readonly SimMachine[]): Promise<AppLogLine[]>;
  poll(machines: readonly SimMachine[], emit: (line: AppLogLine) => void, signal: AbortSignal): void;
}

/** The sim: each machine's stored `logs` (filled by faults), of which a poll emits the ones added since. */
export class SimLogTracker implements LogTracker {
  private readonly seen = new Map<string, number>();

  async backlog(machines: readonly SimMachine[]): Promise<AppLogLine[]> {
    for (const m of machines) this.seen.set(m.id, m.logs.length);
    return mergeByTime(machines.map((m) => simLines(m)));
  }

  poll(machines: readonly SimMachine[], emit: (line: AppLogLine) => void): void {
    const fresh: AppLogLine[][] = [];
    for (const m of machines) {
      const from = this.seen.get(m.id) ?? 0;
      if (m.logs.length > from) fresh.push(simLines(m, from));
      this.seen.set(m.id, m.logs.length);
    }
    mergeByTime(fresh).forEach(emit);
  }
}

/** Machine states in which the current instance's container runs or is about to. */
const LIVE = new Set(['starting', 'started', 'stopping']);

/** Where a stream of a container was left: its last time and how many lines it had at that very time. */
interface Mark {
  key: string;
  timestamp: string;
  count: number;
}
type Marks = Partial<Record<AppLogLine['stream'], Mark>>;

/**
 * The podman runtime: each machine's current container (`podman logs`). A poll follows every
 * container not followed yet whose machine runs, or that it never read (one that started and exited
 * between two polls), from where it left each of its streams, so nothing is shown twice or lost.
 * Lines of one write share a time, so "where it left" is a time and a count, per stream.
 */
export class PodmanLogTracker implements LogTracker {
  private readonly marks = new Map<string, Marks>();
  private readonly known = new Set<string>();
  private readonly following = new Set<string>();

  constructor(
    private readonly containers: ContainerLogs,
    private readonly fleetId: string,
  ) {}

  async backlog(machines: readonly SimMachine[]): Promise<AppLogLine[]> {
    const lists = await Promise.all(
      machines.map(async (m) => {
        const name = containerName(this.fleetId, m.id, m.instanceId);
        const lines = await this.containers.read(name, originOf(m));
        // No container (never launched, failed to, or removed): what fleet kept of its last run, e.g. why the pull failed.
        if (lines === null) return simLines(m);
        this.known.add(name);
        const marks: Marks = {};
        for (const line of lines) advanceMark(marks, line);
        this.marks.set(name, marks);
        return lines;
      }),
    );
    return mergeByTime(lists);
  }

  poll(machines: readonly SimMachine[], emit: (line: AppLogLine) => void, signal: AbortSignal): void {
    for (const m of machines) {
      const name = containerName(this.fleetId, m.id, m.instanceId);
      if (this.following.has(name) || (this.known.has(name) && !LIVE.has(m.state))) continue;
      this.known.add(name);
      this.following.add(name);
      const marks = this.marks.get(name) ?? {};
      this.marks.set(name, marks);
      const replay = { stdout: marks.stdout && { ...marks.stdout }, stderr: marks.stderr && { ...marks.stderr } };
      const since = [replay.stdout, replay.stderr].filter((x): x is Mark => x !== undefined).sort((a, b) => (a.key < b.key ? -1 : 1))[0]?.timestamp;
      void this.containers
        .follow(name, originOf(m), { ...(since ? { since } : {}), signal }, (line) => {
          if (alreadyShown(replay[line.stream], line)) return;
          advanceMark(marks, line);
          emit(line);
        })
        .finally(() => this.following.delete(name));
    }
  }
}

/** Whether `line` (replayed by `podman logs --since`) was shown before `mark`, which it consumes. */
export function alreadyShown(mark: Mark | undefined, line: AppLogLine): boolean {
  if (!mark) return false;
  const key = timeKey(line.timestamp);
  if (key < mark.key) return true;
  if (key === mark.key && mark.count > 0) {
    mark.count -= 1;
    return true;
  }
  return false;
}

export function advanceMark(marks: Marks, line: AppLogLine): void {
  const key = timeKey(line.timestamp);
  const mark = marks[line.stream];
  if (mark && mark.key === key) mark.count += 1;
  else marks[line.stream] = { key, timestamp: line.timestamp, count: 1 };
}
