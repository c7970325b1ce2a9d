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
  /** A `launch` with `skip_service_registration` is born cordoned (bluegreen greens). */
  request?: { skip_service_registration?: boolean; [k: string]: unknown };
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

export type ChaosStrategy = 'rolling' | 'canary' | 'bluegreen';

export interface RunObservation {
  strategy: ChaosStrategy;
  /** The deploys' `max_unavailable` (a count; bluegreen never takes a machine out before its green serves). */
  maxUnavailable: number;
  /** The managed machines seeded before the first release. */
  managedIds: readonly string[];
  unmanagedIds: readonly string[];
  releases: readonly ObservedRelease[];
  timeline: readonly TimelineEntry[];
  machines: readonly FinalMachine[];
}

export interface Violations {
  /** Machines a release should have rolled and did not (or not left started on the last release). */
  lost: number;
  /** Config updates beyond one per machine per release, machines made or destroyed twice, canaries or blues left behind, and any change to an unmanaged machine. */
  duplicated: number;
  /** Moments when fewer machines served than the strategy allows (more than `max_unavailable` out). */
  overUnavailable: number;
  /** Releases not finished (queued or running) when the run ended. */
  stuck: number;
  messages: string[];
}

const TERMINAL = new Set(['complete', 'failed', 'cancelled']);
/** Timeline entries that change nothing about an unmanaged machine: its birth and boot. */
const HARMLESS = new Set(['launch', 'start']);

export function noViolations(): Violations {
  return { lost: 0, duplicated: 0, overUnavailable: 0, stuck: 0, messages: [] };
}

/** Every check of a run (issue 4 §3). */
export function checkRun(run: RunObservation): Violations {
  const v = noViolations();
  checkReleasesEnded(run, v);
  const live = checkReleaseWindows(run, v);
  checkFinalState(run, live, v);
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

/** What fleet recorded inside one release's window, per machine. */
interface Window {
  updates: Map<string, number>;
  destroys: Map<string, number>;
  launched: string[];
}

/**
 * Releases run one after the other, so what fleet did belongs to the release whose window (after
 * the previous release's end, up to its own end) holds its timestamp. Per window, the strategy's
 * exact effect on the machines that were live at its start: rolling and canary update each exactly
 * once (canary also launches one machine and destroys it again), bluegreen launches exactly one
 * green per blue and destroys each blue exactly once. Anything after the last window is a duplicate.
 * Returns the managed machines live after the last release.
 */
export function checkReleaseWindows(run: RunObservation, v: Violations): Set<string> {
  const unmanaged = new Set(run.unmanagedIds);
  const events = run.timeline.filter((e) => !unmanaged.has(e.machine_id));
  let live = new Set(run.managedIds);
  let start = Number.NEGATIVE_INFINITY;
  for (const r of run.releases) {
    const end = r.endedAt ?? Number.POSITIVE_INFINITY;
    const w = windowOf(events.filter((e) => e.timestamp > start && e.timestamp <= end), live);
    live = judgeWindow(run.strategy, r, live, w, v);
    if (r.status === 'failed') v.messages.push(`release v${r.version} failed although no fault was injected`);
    start = end;
  }
  const late = events.filter((e) => e.timestamp > start && (e.type === 'update' || e.type === 'launch' || e.type === 'destroy'));
  if (late.length > 0) {
    v.duplicated += late.length;
    v.messages.push(`${late.length} change(s) after the last release ended: ${late.map((e) => `${e.type} ${e.machine_id}`).join(', ')}`);
  }
  return live;
}

function windowOf(events: readonly TimelineEntry[], live: ReadonlySet<string>): Window {
  const w: Window = { updates: new Map(), destroys: new Map(), launched: [] };
  const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  for (const e of events) {
    if (e.type === 'update') bump(w.updates, e.machine_id);
    else if (e.type === 'destroy' && e.status === 'destroyed') bump(w.destroys, e.machine_id);
    else if (e.type === 'launch' && !live.has(e.machine_id)) w.launched.push(e.machine_id);
  }
  return w;
}

/** Checks one window against its strategy; returns the machines live after it. */
function judgeWindow(strategy: ChaosStrategy, r: ObservedRelease, live: ReadonlySet<string>, w: Window, v: Violations): Set<string> {
  const complete = r.status === 'complete';
  const expectedLaunches = strategy === 'rolling' ? 0 : strategy === 'canary' ? 1 : live.size;
  const tooMany = (what: string, n: number) => {
    v.duplicated += n;
    v.messages.push(`release v${r.version}: ${what}`);
  };
  const missing = (what: string, n: number) => {
    v.lost += n;
    v.messages.push(`release v${r.version}: ${what}`);
  };
  if (w.launched.length > expectedLaunches) tooMany(`${w.launched.length} machines launched, expected ${expectedLaunches}`, w.launched.length - expectedLaunches);
  if (complete && w.launched.length < expectedLaunches) missing(`${w.launched.length} machines launched, expected ${expectedLaunches}`, expectedLaunches - w.launched.length);
  for (const [id, n] of w.destroys) if (n > 1) tooMany(`machine ${id} destroyed ${n} times`, n - 1);
  for (const [id, n] of w.updates) {
    const allowed = strategy !== 'bluegreen' && live.has(id) ? 1 : 0;
    if (n > allowed) tooMany(`machine ${id} was updated ${n} times`, n - allowed);
  }
  for (const id of live) {
    if (strategy === 'bluegreen') {
      if (complete && !w.destroys.has(id)) tooMany(`blue ${id} was not destroyed`, 1);
    } else {
      if (complete && !w.updates.has(id)) missing(`machine ${id} was never updated`, 1);
      if (w.destroys.has(id)) missing(`machine ${id} was destroyed`, 1);
    }
  }
  if (strategy === 'canary') for (const id of w.launched) if (!w.destroys.has(id) && complete) tooMany(`canary ${id} was left behind`, 1);
  const after = new Set([...live, ...w.launched]);
  for (const id of w.destroys.keys()) after.delete(id);
  return after;
}

/** Every live managed machine ends started on the last release, as many as were seeded; the destroyed ones are gone. */
export function checkFinalState(run: RunObservation, live: ReadonlySet<string>, v: Violations): void {
  const last = run.releases[run.releases.length - 1];
  if (!last) return;
  const unmanaged = new Set(run.unmanagedIds);
  const listed = run.machines.filter((m) => !unmanaged.has(m.id) && m.state !== 'destroyed');
  for (const id of live) {
    const m = listed.find((x) => x.id === id);
    if (m && m.state === 'started' && m.metadata.fly_release_id === last.id) continue;
    v.lost += 1;
    v.messages.push(`machine ${id} ended ${m ? `${m.state} on release ${m.metadata.fly_release_id ?? 'none'}` : 'missing'}, not started on v${last.version}`);
  }
  const extra = listed.filter((m) => !live.has(m.id));
  if (extra.length > 0) {
    v.duplicated += extra.length;
    v.messages.push(`machines fleet lists that no release accounts for: ${extra.map((m) => m.id).join(', ')}`);
  }
  if (live.size !== run.managedIds.length) v.messages.push(`${live.size} managed machines at the end, ${run.managedIds.length} seeded`);
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
 * How many managed machines serve (started, not cordoned, not being replaced) at every instant after
 * the seeded ones first all served: never fewer than the seeded count minus `max_unavailable`
 * (rolling, canary: a machine is out from its `update` until fleet records it `started` again, its
 * checks passing from then on as no health fault is injected), nor fewer than the seeded count for
 * bluegreen (a blue leaves only after its green serves). Counts the moments it drops below; at equal
 * timestamps a machine coming into service is counted first.
 */
export function checkAvailability(run: RunObservation, v: Violations): void {
  const unmanaged = new Set(run.unmanagedIds);
  const floor = run.strategy === 'bluegreen' ? run.managedIds.length : run.managedIds.length - run.maxUnavailable;
  const ordered = run.timeline
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => !unmanaged.has(e.machine_id))
    .sort((a, b) => a.e.timestamp - b.e.timestamp || servingRank(a.e) - servingRank(b.e) || a.i - b.i);
  const machines = new Map<string, { started: boolean; cordoned: boolean }>();
  const serving = () => [...machines.values()].filter((m) => m.started && !m.cordoned).length;
  let watching = false;
  for (const { e } of ordered) {
    const m = machines.get(e.machine_id) ?? { started: false, cordoned: false };
    machines.set(e.machine_id, m);
    const before = serving();
    applyToMachine(m, e);
    if (!watching) {
      watching = run.managedIds.every((id) => machines.get(id)?.started);
      continue;
    }
    const now = serving();
    if (now < floor && before >= floor) {
      v.overUnavailable += 1;
      v.messages.push(`${now} of ${run.managedIds.length} machines serving at ${new Date(e.timestamp).toISOString()} (${run.strategy}, max_unavailable ${run.maxUnavailable})`);
    }
  }
}

function applyToMachine(m: { started: boolean; cordoned: boolean }, e: TimelineEntry): void {
  if (e.type === 'start' && e.status === 'started') m.started = true;
  else if (e.type === 'update' || e.type === 'stop' || e.type === 'exit' || e.type === 'destroy') m.started = false;
  else if (e.type === 'launch') {
    m.started = false;
    m.cordoned = e.request?.skip_service_registration === true;
  }
  else if (e.type === 'cordon') m.cordoned = true;
  else if (e.type === 'uncordon') m.cordoned = false;
}

/** Events that bring a machine into service sort first within a millisecond. */
function servingRank(e: TimelineEntry): number {
  return (e.type === 'start' && e.status === 'started') || e.type === 'uncordon' ? 0 : 1;
}

/** The median of the samples (the lower middle for an even count), or undefined with none. */
export function median(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
