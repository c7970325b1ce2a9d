/** One event of `GET /v1/apps/:app/releases/:version/events` (the feed shape, DESIGN §7.3). */
export interface TimelineEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor?: string };
  recordedAt: string;
}

const OUTCOMES = new Set(['RolloutStepSucceeded', 'RolloutStepFailed']);
const ENDS = new Set(['ReleaseCompleted', 'ReleaseFailed', 'ReleaseCancelled']);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Seconds with two decimals: `1.25s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/**
 * `releases show vN`'s timeline for humans: one row per release event with its offset from the
 * first, time, type, what it was about (machine, step, reason) and who caused it. A machine step's
 * outcome says how long it took since it was requested.
 */
export function releaseTimeline(events: readonly TimelineEvent[]): string[][] {
  const rows = [['AT', 'TIME', 'EVENT', 'DETAIL', 'ACTOR']];
  if (events.length === 0) return rows;
  const start = Date.parse(events[0]!.recordedAt);
  const requested = new Map<string, { at: number; data: Record<string, unknown> }>();
  for (const e of events) {
    const at = Date.parse(e.recordedAt);
    const key = str(e.data.key);
    if (e.type === 'MachineUpdateRequested' && key) requested.set(key, { at, data: e.data });
    rows.push([`+${formatSeconds(at - start)}`, e.recordedAt, e.type, detail(e, at - start, key ? requested.get(key) : undefined, at), e.metadata.actor ?? '-']);
  }
  return rows;
}

function detail(e: TimelineEvent, sinceStart: number, request: { at: number; data: Record<string, unknown> } | undefined, at: number): string {
  const d = e.data;
  if (e.type === 'ReleaseQueued') return [`trigger ${str(d.trigger) ?? '?'}`, `strategy ${str(d.strategy) ?? '?'}`, str(d.imageRef) ? `image ${str(d.imageRef)}` : ''].filter(Boolean).join(', ');
  if (e.type === 'RolloutPlanned') return planSummary(d);
  if (e.type === 'MachineUpdateRequested') return step(d, d);
  if (OUTCOMES.has(e.type)) {
    const took = request ? ` in ${formatSeconds(at - request.at)}` : '';
    const reason = str(d.reason) ? `: ${str(d.reason)}` : '';
    return `${step(request?.data ?? {}, d)}${took}${reason}`;
  }
  if (ENDS.has(e.type)) return [`total ${formatSeconds(sinceStart)}`, str(d.reason)].filter(Boolean).join(', ');
  return str(d.reason) ?? '';
}

/** `update 21781973f03e89 (app)`, or `create (worker)` before the machine has an id. */
function step(request: Record<string, unknown>, data: Record<string, unknown>): string {
  const machine = str(data.machineId) ?? str(request.machineId);
  const group = str(request.processGroup);
  return [str(request.kind) ?? 'step', machine, group ? `(${group})` : undefined].filter(Boolean).join(' ');
}

function planSummary(d: Record<string, unknown>): string {
  const entries = Array.isArray(d.entries) ? (d.entries as { action?: unknown }[]) : [];
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const action = typeof entry.action === 'string' ? entry.action : '?';
    counts.set(action, (counts.get(action) ?? 0) + 1);
  }
  const actions = [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
  const filters = d.filters as { applied?: string[]; selected?: number; total?: number } | undefined;
  const filtered = filters?.applied ? `, ${filters.applied.join('/')} → ${filters.selected}/${filters.total} machines` : '';
  return `${entries.length} machine(s)${actions ? `: ${actions}` : ''}${str(d.strategy) ? `, ${str(d.strategy)}` : ''}${filtered}`;
}
