import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import type { ReleaseTrigger } from '@hangar/contracts';
import type { Failure, PlanEntry, ReleaseEvent, ResolvedImage } from './release.events';

/** `initial`: nothing recorded yet (the stream is empty). */
export type ReleaseLifecycle = 'initial' | 'queued' | 'running' | 'complete' | 'failed';

/** One plan entry's operation: `pending` (not yet requested) → `requested` (in flight) → outcome. */
export type OpStatus = 'pending' | 'requested' | 'succeeded' | 'failed';

export type StepOutcome = { readonly machineId?: string; readonly instanceId?: string };

/** The release stream `release-<id>` folded. */
export type ReleaseState = {
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
  readonly image?: ResolvedImage;
  /** Fixed once planned: resuming never re-plans (DESIGN §5 step 4). */
  readonly plan?: { readonly entries: readonly PlanEntry[]; readonly maxUnavailableCount: number };
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
  };
}

export function isTerminal(state: ReleaseState): boolean {
  return state.status === 'complete' || state.status === 'failed';
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
      const { entries, maxUnavailableCount, image } = event.data;
      const ops: Record<string, OpStatus> = {};
      for (const entry of entries) if (entry.action !== 'skip') ops[entry.key] = 'pending';
      return { ...state, image, plan: { entries, maxUnavailableCount }, ops };
    }
    case 'MachineUpdateRequested':
      return { ...state, ops: { ...state.ops, [event.data.key]: 'requested' } };
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
      return { ...state, ops: { ...state.ops, [key]: 'failed' }, failures: [...state.failures, failure] };
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
