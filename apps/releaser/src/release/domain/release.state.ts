import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import type { MachineOperationKind, ReleaseTrigger } from '@hangar/contracts';
import type { FilterOutcome } from './machine-filters';
import type { DeployFlags, Failure, PlanEntry, ReleaseEvent, ResolvedImage } from './release.events';

/** `initial`: nothing recorded yet (the stream is empty). */
export type ReleaseLifecycle = 'initial' | 'queued' | 'running' | 'complete' | 'failed' | 'cancelled';

/** One plan entry's operation: `pending` (not yet requested) → `requested` (in flight) → outcome. */
export type OpStatus = 'pending' | 'requested' | 'succeeded' | 'failed';

export type StepOutcome = { readonly machineId?: string; readonly instanceId?: string };

/** What was asked of machine-updater under a key (plan entries and the operations derived from them). */
export type RequestInfo = {
  readonly kind: MachineOperationKind;
  readonly machineId?: string;
  readonly processGroup: string;
  readonly region?: string;
};

/** The release stream `release-<id>` folded. */
export type ReleaseState = DeployFlags & {
  readonly status: ReleaseLifecycle;
  readonly releaseId: string;
  readonly app: string;
  readonly version: number;
  readonly config: AppConfig;
  readonly imageRef: string;
  readonly strategy: DeployStrategy;
  readonly maxUnavailable: number;
  readonly waitTimeoutMs: number;
  readonly trigger: ReleaseTrigger;
  readonly actor: string;
  readonly createdAt: string;
  readonly releaseCommandTimeoutMs?: number | null;
  readonly skipReleaseCommand?: boolean;
  readonly secretsVersion?: number;
  readonly rollbackOf?: { readonly releaseId: string; readonly version: number };
  readonly allowVolumeDetach?: boolean;
  /** The release command's progress, when the config has one (DESIGN §5 step 3). */
  readonly releaseCommand?: { readonly key: string; readonly status: 'requested' | 'succeeded' | 'failed'; readonly machineId?: string };
  readonly cancelRequested: boolean;
  /** A failed release that an automatic rollback release followed. */
  readonly rolledBackBy?: { readonly releaseId: string; readonly version: number };
  /** Every request made, by key: plan entries and derived operations (uncordon, cleanup, …). */
  readonly requests: Readonly<Record<string, RequestInfo>>;
  readonly image?: ResolvedImage;
  /** Fixed once planned: resuming never re-plans (DESIGN §5 step 4). */
  readonly plan?: { readonly entries: readonly PlanEntry[]; readonly maxUnavailableCount: number; readonly filters?: FilterOutcome };
  /** Per plan-entry key, for every entry except `skip`. */
  readonly ops: Readonly<Record<string, OpStatus>>;
  /** What succeeded operations reported (a created machine's id, the new instance id). */
  readonly outcomes: Readonly<Record<string, StepOutcome>>;
  /** In the order they were recorded. */
  readonly failures: readonly Failure[];
  readonly reason?: string;
  readonly finishedAt?: string;
};

const EMPTY_CONFIG: AppConfig = { env: {}, processes: {}, mounts: [], services: [], checks: {}, vm: [], warnings: [] };

export function initialState(): ReleaseState {
  return {
    status: 'initial',
    releaseId: '',
    app: '',
    version: 0,
    config: EMPTY_CONFIG,
    imageRef: '',
    strategy: 'rolling',
    maxUnavailable: 0.33,
    waitTimeoutMs: 300_000,
    trigger: 'api',
    actor: '',
    createdAt: '',
    ops: {},
    outcomes: {},
    failures: [],
    cancelRequested: false,
    requests: {},
  };
}

export function isTerminal(state: ReleaseState): boolean {
  return state.status === 'complete' || state.status === 'failed' || state.status === 'cancelled';
}

export function evolve(state: ReleaseState, event: ReleaseEvent): ReleaseState {
  switch (event.type) {
    case 'ReleaseQueued': {
      const { config, ...rest } = event.data;
      return { ...state, ...rest, config, status: 'queued' };
    }
    case 'ReleaseStarted':
      return state.status === 'queued' ? { ...state, status: 'running' } : state;
    case 'RolloutPlanned': {
      const { entries, maxUnavailableCount, image, filters } = event.data;
      const ops: Record<string, OpStatus> = {};
      for (const entry of entries) if (entry.action !== 'skip') ops[entry.key] = 'pending';
      return { ...state, image, plan: { entries, maxUnavailableCount, ...(filters ? { filters } : {}) }, ops };
    }
    case 'MachineUpdateRequested': {
      const { key, kind, machineId, processGroup, region } = event.data;
      const info: RequestInfo = { kind, ...(machineId === undefined ? {} : { machineId }), processGroup, ...(region === undefined ? {} : { region }) };
      return { ...state, ops: { ...state.ops, [key]: 'requested' }, requests: { ...state.requests, [key]: info } };
    }
    case 'ReleaseCommandStarted':
      return { ...state, image: event.data.image, releaseCommand: { key: event.data.key, status: 'requested' } };
    case 'ReleaseCommandCompleted': {
      const { [event.data.key]: _done, ...ops } = state.ops;
      return { ...state, ops, releaseCommand: { key: event.data.key, status: 'succeeded', machineId: event.data.machineId } };
    }
    case 'ReleaseCommandFailed': {
      const { [event.data.key]: _done, ...ops } = state.ops;
      const machine = event.data.machineId === undefined ? {} : { machineId: event.data.machineId };
      return { ...state, ops, releaseCommand: { key: event.data.key, status: 'failed', ...machine } };
    }
    case 'ReleaseRolledBack':
      return { ...state, rolledBackBy: { releaseId: event.data.rollbackReleaseId, version: event.data.rollbackVersion } };
    case 'ReleaseCancelRequested':
      return { ...state, cancelRequested: true };
    case 'ReleaseCancelled':
      return { ...state, status: 'cancelled', finishedAt: event.data.finishedAt };
    case 'RolloutStepSucceeded': {
      const { key, machineId, instanceId } = event.data;
      return {
        ...state,
        ops: { ...state.ops, [key]: 'succeeded' },
        outcomes: { ...state.outcomes, [key]: instanceId === undefined ? { machineId } : { machineId, instanceId } },
      };
    }
    case 'RolloutStepFailed': {
      const { key, machineId, reason } = event.data;
      const failure: Failure = machineId === undefined ? { key, reason } : { machineId, key, reason };
      // A create that failed after the machine existed (unhealthy) still made one: cleanup needs its id.
      const outcomes = machineId === undefined ? state.outcomes : { ...state.outcomes, [key]: { machineId } };
      return { ...state, ops: { ...state.ops, [key]: 'failed' }, outcomes, failures: [...state.failures, failure] };
    }
    case 'ReleaseCompleted':
      return { ...state, status: 'complete', finishedAt: event.data.finishedAt };
    case 'ReleaseFailed': {
      const { reason, failures, finishedAt } = event.data;
      return { ...state, status: 'failed', reason, failures, finishedAt };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
