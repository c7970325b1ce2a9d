/**
 * The chaos suite's verdict, computed from fleet's own record of every call and state change (its
 * timeline and machine list), not from what Hangar says about itself. Pure: the runner gathers the
 * observation, these functions judge it.
 */

/** One entry of fleet's `GET /fleet/v1/apps/:app/timeline` (oldest first). */
export interface TimelineEntry {
  machine_id: string;
  instance_id: string;
  type: string;
  status: string;
  source: string;
  /** ms since the epoch. */
  timestamp: number;
}

/** A machine as fleet lists it at the end of the run. */
export interface FinalMachine {
  id: string;
  state: string;
  metadata: Record<string, string>;
}

/** A release the run created, in creation order, with its end as recorded by Hangar's store. */
export interface ObservedRelease {
  id: string;
  version: number;
  status: string;
  /** ms since the epoch of its terminal event; absent while not finished. */
  endedAt?: number;
}

export interface RunObservation {
  /** The deploys' `max_unavailable` (a count). */
  maxUnavailable: number;
  managedIds: readonly string[];
  unmanagedIds: readonly string[];
  releases: readonly ObservedRelease[];
  timeline: readonly TimelineEntry[];
  machines: readonly FinalMachine[];
}

export interface Violations {
  /** Managed machines a release should have updated and did not (or not left on the target release). */
  lost: number;
  /** Config updates beyond one per machine per release, and any change to an unmanaged machine. */
  duplicated: number;
  /** Moments when more than `max_unavailable` managed machines were out of service at once. */
  overUnavailable: number;
  /** Releases not finished (queued or running) when the run ended. */
  stuck: number;
  messages: string[];
}

const TERMINAL = new Set(['complete', 'failed', 'cancelled']);
/** Timeline entries that change nothing about a machine: its birth and boot. */
const HARMLESS = new Set(['launch', 'start']);

export function noViolations(): Violations {
  return { lost: 0, duplicated: 0, overUnavailable: 0, stuck: 0, messages: [] };
}

/** Every check of a run (issue 4 §3). */
export function checkRun(run: RunObservation): Violations {
  const v = noViolations();
  checkReleasesEnded(run, v);
  checkUpdatesPerRelease(run, v);
  checkFinalState(run, v);
  checkUnmanagedUntouched(run, v);
  checkAvailability(run, v);
  return v;
}

/** No release may be left queued or running: the queue and the app lock survive every crash. */
export function checkReleasesEnded(run: RunObservation, v: Violations): void {
  for (const r of run.releases) {
    if (TERMINAL.has(r.status) && r.endedAt !== undefined) continue;
    v.stuck += 1;
    v.messages.push(`release v${r.version} is still ${r.status}`);
  }
}

/**
 * Exactly one `update` of each managed machine per release. Releases run one after the other, so an
 * update belongs to the release whose window (after the previous release's end, up to its own end)
 * holds its timestamp; an update after every release ended belongs to none and is a duplicate.
 */
export function checkUpdatesPerRelease(run: RunObservation, v: Violations): void {
  const managed = new Set(run.managedIds);
  const updates = run.timeline.filter((e) => e.type === 'update' && managed.has(e.machine_id));
  let windowStart = Number.NEGATIVE_INFINITY;
  for (const r of run.releases) {
    const windowEnd = r.endedAt ?? Number.POSITIVE_INFINITY;
    const inWindow = updates.filter((e) => e.timestamp > windowStart && e.timestamp <= windowEnd);
    for (const id of run.managedIds) {
      const n = inWindow.filter((e) => e.machine_id === id).length;
      if (n > 1) {
        v.duplicated += n - 1;
        v.messages.push(`machine ${id} was updated ${n} times by release v${r.version}`);
      } else if (n === 0 && r.status === 'complete') {
        v.lost += 1;
        v.messages.push(`machine ${id} was never updated by release v${r.version}`);
      }
    }
    if (r.status === 'failed') v.messages.push(`release v${r.version} failed although no fault was injected`);
    windowStart = windowEnd;
  }
  const late = updates.filter((e) => e.timestamp > windowStart);
  if (late.length > 0) {
    v.duplicated += late.length;
    v.messages.push(`${late.length} update(s) after the last release ended: ${late.map((e) => e.machine_id).join(', ')}`);
  }
}

/** Every managed machine ends started, on the last release; a failed last release counts its machines as lost. */
export function checkFinalState(run: RunObservation, v: Violations): void {
  const last = run.releases[run.releases.length - 1];
  if (!last) return;
  const byId = new Map(run.machines.map((m) => [m.id, m]));
  for (const id of run.managedIds) {
    const m = byId.get(id);
    if (m && m.state === 'started' && m.metadata.fly_release_id === last.id) continue;
    v.lost += 1;
    v.messages.push(`machine ${id} ended ${m ? `${m.state} on release ${m.metadata.fly_release_id ?? 'none'}` : 'missing'}, not started on v${last.version}`);
  }
}

/** A deploy never touches an unmanaged machine: only its own launch and boot may appear. */
export function checkUnmanagedUntouched(run: RunObservation, v: Violations): void {
  const unmanaged = new Set(run.unmanagedIds);
  for (const e of run.timeline) {
    if (!unmanaged.has(e.machine_id) || HARMLESS.has(e.type)) continue;
    v.duplicated += 1;
    v.messages.push(`unmanaged machine ${e.machine_id} was touched: ${e.type}/${e.status}`);
  }
}

/**
 * A managed machine is out of service from its `update` until fleet records it `started` again (its
 * checks pass from then on: no health fault is injected). Counts the moments the number out of
 * service rises above `max_unavailable`; at equal timestamps a machine coming back is counted first.
 */
export function checkAvailability(run: RunObservation, v: Violations): void {
  const managed = new Set(run.managedIds);
  const out = new Set<string>();
  const ordered = run.timeline
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => managed.has(e.machine_id))
    .sort((a, b) => a.e.timestamp - b.e.timestamp || backInServiceFirst(a.e, b.e) || a.i - b.i);
  for (const { e } of ordered) {
    if (e.type === 'start' && e.status === 'started') {
      out.delete(e.machine_id);
    } else if (e.type === 'update' || e.type === 'stop' || e.type === 'exit' || e.type === 'destroy') {
      const before = out.size;
      out.add(e.machine_id);
      if (out.size > run.maxUnavailable && before <= run.maxUnavailable) {
        v.overUnavailable += 1;
        v.messages.push(`${out.size} machines out of service at ${new Date(e.timestamp).toISOString()} (max_unavailable ${run.maxUnavailable})`);
      }
    }
  }
}

function backInServiceFirst(a: TimelineEntry, b: TimelineEntry): number {
  const rank = (e: TimelineEntry) => (e.type === 'start' && e.status === 'started' ? 0 : 1);
  return rank(a) - rank(b);
}

/** The median of the samples (the lower middle for an even count), or undefined with none. */
export function median(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
