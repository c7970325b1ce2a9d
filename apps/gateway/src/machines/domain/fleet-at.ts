/** An app's machine as it was at a past moment, told from the events alone (`status --at`). */
export interface MachineAtTime {
  id: string;
  processGroup: string;
  region: string;
  state: string;
  managed: boolean;
  releaseId?: string;
  releaseVersion?: number;
  image: string;
  /** When the last event that changed this machine was recorded. */
  since: string;
}

/** The events the projection reads (of one app, in the global order). */
export interface FleetEvent {
  type: string;
  data: Record<string, unknown>;
  recordedAt: Date;
}

/** Event types that change what an app's fleet looks like. */
export const FLEET_EVENT_TYPES = [
  'MachineUpdateRequested',
  'MachineUpdated',
  'MachineCreated',
  'MachineCloned',
  'MachineDestroyed',
  'MachineAdopted',
  'MachineStarted',
  'MachineStopped',
  'MachineRestarted',
] as const;

type Machines = Map<string, MachineAtTime>;
type Requests = Map<string, Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/**
 * Which machines an app had at `at`, which release and image each ran and whether deploys managed
 * it, folded from its machine events up to that moment. `MachineUpdated` carries these facts; for
 * events recorded before it did, they come from the `MachineUpdateRequested` with the same key.
 * Temporary release-command machines are not part of the fleet.
 */
export function fleetAt(events: readonly FleetEvent[], at: Date): MachineAtTime[] {
  const machines: Machines = new Map();
  const requests: Requests = new Map();
  for (const e of events) {
    if (e.recordedAt.getTime() > at.getTime()) continue;
    apply(machines, requests, e);
  }
  return [...machines.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function apply(machines: Machines, requests: Requests, e: FleetEvent): void {
  const d = e.data;
  const id = str(d.machineId);
  const since = e.recordedAt.toISOString();
  switch (e.type) {
    case 'MachineUpdateRequested': {
      const key = str(d.key);
      if (key) requests.set(key, d);
      return;
    }
    case 'MachineUpdated':
      if (id) applyOutcome(machines, id, d, requests.get(str(d.key) ?? ''), since);
      return;
    case 'MachineCreated':
      if (id) {
        machines.set(id, {
          id,
          processGroup: str(d.processGroup) ?? 'app',
          region: str(d.region) ?? 'unknown',
          state: 'started',
          managed: bool(d.managed) ?? false,
          image: str(d.image) ?? 'unknown',
          since,
        });
      }
      return;
    case 'MachineCloned': {
      const source = machines.get(str(d.sourceId) ?? '');
      if (id) {
        machines.set(id, {
          ...(source ?? { processGroup: 'app', image: 'unknown' }),
          id,
          region: str(d.region) ?? source?.region ?? 'unknown',
          state: 'started',
          managed: bool(d.managed) ?? source?.managed ?? false,
          since,
        });
      }
      return;
    }
    case 'MachineDestroyed':
      if (id) machines.delete(id);
      return;
    case 'MachineStarted':
    case 'MachineStopped':
    case 'MachineRestarted': {
      // `machine start|stop|restart`: the state right after the call (a start is still `starting`).
      const m = id ? machines.get(id) : undefined;
      const state = e.type === 'MachineStopped' ? 'stopped' : 'started';
      if (m) machines.set(m.id, { ...m, state, since });
      return;
    }
    case 'MachineAdopted': {
      const m = id ? machines.get(id) : undefined;
      if (m) machines.set(m.id, { ...m, managed: true, processGroup: str(d.processGroup) ?? m.processGroup, since });
      return;
    }
    default:
      return;
  }
}

function applyOutcome(machines: Machines, id: string, d: Record<string, unknown>, request: Record<string, unknown> | undefined, since: string): void {
  const kind = str(d.kind);
  const current = machines.get(id);
  switch (kind) {
    case 'destroy':
      machines.delete(id);
      return;
    case 'stop':
      if (current) machines.set(id, { ...current, state: 'stopped', since });
      return;
    case 'create':
    case 'update': {
      const config = (request?.config ?? {}) as { image?: unknown; metadata?: Record<string, unknown> };
      const releaseVersion = num(d.releaseVersion) ?? num(request?.releaseVersion);
      const releaseId = str(d.releaseId) ?? str(request?.releaseId);
      machines.set(id, {
        id,
        processGroup: str(d.processGroup) ?? str(request?.processGroup) ?? current?.processGroup ?? 'app',
        region: str(d.region) ?? str(request?.region) ?? current?.region ?? 'unknown',
        state: str(d.state) ?? (request?.skipLaunch === true ? 'stopped' : 'started'),
        managed: bool(d.managed) ?? (config.metadata ? config.metadata.fly_platform_version === 'v2' : (current?.managed ?? true)),
        ...(releaseId ? { releaseId } : {}),
        ...(releaseVersion !== undefined ? { releaseVersion } : {}),
        image: str(d.image) ?? str(config.image) ?? current?.image ?? 'unknown',
        since,
      });
      return;
    }
    default:
      // cordon / uncordon change routing, not what runs; release-command machines are temporary.
      return;
  }
}
