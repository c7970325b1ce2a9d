import { ErrorCodes, HangarError, type MachineUpdateRequestedData } from '@hangar/contracts';
import { machineConfigFor, pinnedImageRef } from './machine-config';
import { planRollout } from './plan-rollout';
import { nextOperations, type PlannedOperation } from './planners';
import type { CancelRelease, FailRelease, Instant, PlanRollout, QueueRelease, RecordStepOutcome, ReleaseCommand } from './release.commands';
import type { Failure, MachineUpdateRequested, PlanEntry, ReleaseEvent, ResolvedImage, RolloutPlanned } from './release.events';
import { volumeProblems } from './volume-plan';
import { checkBluegreen, releaseCommandKey, releaseCommandOutcome, releaseCommandRequest } from './release-command';
import { unreachableFromFly, unreachableImageReason } from './image-reachability';
import { evolve, initialState, isTerminal, type ReleaseState } from './release.state';

export type { MachineSnapshot, ReleaseCommand } from './release.commands';
export type { PlanEntry, ReleaseEvent, ResolvedImage } from './release.events';
export type { ReleaseState } from './release.state';
export { isTerminal } from './release.state';

export const ReleaseErrorCodes = {
  NOT_STARTED: 'RELEASE.NOT_STARTED',
  INVALID_MAX_UNAVAILABLE: 'CONFIG.INVALID_MAX_UNAVAILABLE',
  INVALID_OUTCOME: 'RELEASE.INVALID_OUTCOME',
} as const;

/**
 * The rollout process manager of one release (DESIGN §5): queue → start → plan → one
 * `MachineUpdateRequested` per operation the strategy's planner allows → outcomes → complete/failed.
 * Every command is safe to repeat: a duplicate or late one decides `[]`.
 */
export function decide(command: ReleaseCommand, state: ReleaseState): ReleaseEvent[] {
  switch (command.type) {
    case 'QueueRelease':
      return queueRelease(command, state);
    case 'StartRelease':
      requireExists(state);
      if (state.status !== 'queued') return [];
      return [{ type: 'ReleaseStarted', data: { releaseId: state.releaseId, app: state.app, version: state.version, imageRef: state.imageRef } }];
    case 'PlanRollout':
      return plan(command, state);
    case 'FailRelease':
      return failRelease(command, state);
    case 'RecordStepOutcome':
      return recordStepOutcome(command, state);
    case 'CancelRelease':
      return cancelRelease(command, state);
    default: {
      const unknown: never = command;
      throw new HangarError(ErrorCodes.INTERNAL, `unknown release command ${JSON.stringify(unknown)}`);
    }
  }
}

/** The release decider: `decide`, `evolve`, `initialState` (STYLE.md Shape 1). */
export const releaseDecider = { decide, evolve, initialState } as const;

function queueRelease(command: QueueRelease, state: ReleaseState): ReleaseEvent[] {
  if (state.status !== 'initial') return [];
  if (!(command.maxUnavailable > 0)) {
    throw new HangarError(ReleaseErrorCodes.INVALID_MAX_UNAVAILABLE, `max_unavailable must be greater than 0; got ${command.maxUnavailable}`, {
      maxUnavailable: command.maxUnavailable,
    });
  }
  const { type: _type, now, ...fields } = command;
  return [{ type: 'ReleaseQueued', data: { ...fields, createdAt: isoOf(now) } }];
}

/** Fly.io pulls the pinned image itself: one from a registry only this network reaches would fail on every machine. */
function unpullableImage(image: ResolvedImage): string | undefined {
  const pinned = pinnedImageRef(image);
  const problem = unreachableFromFly(pinned);
  return problem ? unreachableImageReason(pinned, problem) : undefined;
}

function plan(command: PlanRollout, state: ReleaseState): ReleaseEvent[] {
  requireExists(state);
  if (isTerminal(state) || state.plan) return [];
  if (state.status !== 'running') {
    throw new HangarError(ReleaseErrorCodes.NOT_STARTED, `release ${state.releaseId} has not started`, { releaseId: state.releaseId });
  }
  if (state.cancelRequested) return [];
  const unpullable = command.provider === 'fly' ? unpullableImage(command.image) : undefined;
  if (unpullable) return failRelease({ type: 'FailRelease', reason: unpullable, now: command.now }, state);
  const releaseCommand = state.config.deploy?.releaseCommand;
  if (releaseCommand && !state.skipReleaseCommand && state.releaseCommand?.status !== 'succeeded') {
    // The release command runs before any machine changes (DESIGN §5 step 3).
    return state.releaseCommand ? [] : releaseCommandRequest(state, command.image, releaseCommand);
  }
  const volumes = command.volumes ?? [];
  const problems = volumeProblems(state.config, command.machines, volumes, { allowDetach: state.allowVolumeDetach === true });
  const refused = state.strategy === 'bluegreen' ? checkBluegreen(state, command.machines) : problems.join('; ') || undefined;
  if (refused) return failRelease({ type: 'FailRelease', reason: refused, now: command.now }, state);
  const { entries, maxUnavailableCount, filters, warnings } = planRollout(state, command.image, command.machines, volumes);
  // Fly creates a volume only in a region it is told; fleet picks one itself.
  const regionless = command.provider === 'fly' ? entries.find((e) => e.createVolume && e.createVolume.region === undefined) : undefined;
  if (regionless) {
    const reason = `[mounts] source "${regionless.createVolume!.name}" needs a volume for process group ${regionless.processGroup}, and a volume lives in one region: set primary_region in fly.toml (or create the volume with hangar volumes create ${regionless.createVolume!.name} -r <region>)`;
    return failRelease({ type: 'FailRelease', reason, now: command.now }, state);
  }
  const planned: RolloutPlanned = {
    type: 'RolloutPlanned',
    data: { releaseId: state.releaseId, app: state.app, image: command.image, strategy: state.strategy, maxUnavailableCount, entries, ...(filters ? { filters } : {}), ...(warnings.length > 0 ? { warnings } : {}) },
  };
  return [planned, ...advance(evolve(state, planned), command.now)];
}

function cancelRelease(command: CancelRelease, state: ReleaseState): ReleaseEvent[] {
  requireExists(state);
  if (isTerminal(state) || state.cancelRequested) return [];
  const { releaseId, app, version } = state;
  const cancelled: ReleaseEvent = { type: 'ReleaseCancelled', data: { releaseId, app, version, finishedAt: isoOf(command.now) } };
  if (state.status === 'queued') return [cancelled];
  const requested: ReleaseEvent = { type: 'ReleaseCancelRequested', data: { releaseId, app, actor: command.actor } };
  if (!state.plan) return Object.values(state.ops).includes('requested') ? [requested] : [requested, cancelled];
  return [requested, ...advance(evolve(state, requested), command.now)];
}

function failRelease(command: FailRelease, state: ReleaseState): ReleaseEvent[] {
  requireExists(state);
  if (isTerminal(state)) return [];
  const { releaseId, app, version, failures } = state;
  return [{ type: 'ReleaseFailed', data: { releaseId, app, version, reason: command.reason, failures, finishedAt: isoOf(command.now) } }];
}

function recordStepOutcome(data: RecordStepOutcome, state: ReleaseState): ReleaseEvent[] {
  requireExists(state);
  // Unknown, never requested or already recorded: a redelivered or stray outcome changes nothing.
  if (isTerminal(state) || state.ops[data.key] !== 'requested') return [];
  if (data.key === releaseCommandKey(state)) return releaseCommandOutcome(state, data, isoOf(data.now));
  const entry = entryOf(state, data.key);
  const makesMachine = entry.action === 'create' || entry.action === 'canary' || entry.action === 'green' || entry.action === 'replace';
  const machineId = data.machineId ?? (makesMachine ? undefined : entry.machineId);
  const { releaseId, app } = state;
  let step: ReleaseEvent;
  if (data.ok) {
    if (!machineId) {
      throw new HangarError(ReleaseErrorCodes.INVALID_OUTCOME, `outcome of ${data.key} names no machine`, { key: data.key });
    }
    step = { type: 'RolloutStepSucceeded', data: { releaseId, app, key: data.key, machineId, ...optional('instanceId', data.instanceId) } };
  } else {
    const reason = data.reason ?? 'unknown error';
    step = { type: 'RolloutStepFailed', data: { releaseId, app, key: data.key, ...optional('machineId', machineId), reason } };
  }
  return [step, ...advance(evolve(state, step), data.now)];
}

/** Requests what the planner allows now; finishes the release when nothing is left to wait for. */
function advance(state: ReleaseState, now: Instant): ReleaseEvent[] {
  const requests = nextOperations(state).map((op) => requestFor(state, op));
  const after = requests.reduce<ReleaseState>(evolve, state);
  if (Object.values(after.ops).includes('requested')) return requests;
  return [...requests, finish(after, now)];
}

function requestFor(state: ReleaseState, op: PlannedOperation): MachineUpdateRequested {
  const { entry } = op;
  const data: MachineUpdateRequestedData = {
    app: state.app,
    key: op.key,
    kind: op.kind,
    // A create (new group, canary, green) makes a new machine: a green's entry names its blue.
    ...(op.kind === 'create' ? {} : optional('machineId', entry.machineId)),
    releaseId: state.releaseId,
    releaseVersion: state.version,
    processGroup: entry.processGroup,
    ...optional('region', entry.region),
    ...(op.kind === 'create' || op.kind === 'update' || op.kind === 'replace' ? { config: targetConfig(state, entry) } : {}),
    // Stopped machines are updated but stay stopped (DESIGN §5 step 5); a stopped blue's green too.
    skipLaunch: (op.kind === 'update' || (op.kind === 'create' && entry.action === 'green')) && !entry.wasStarted,
    waitForHealth: op.waitForHealth,
    waitTimeoutMs: state.waitTimeoutMs,
    // A bluegreen green takes no traffic until it is healthy and uncordoned (flyctl's skip_service_registration).
    ...(op.kind === 'create' && state.strategy === 'bluegreen' ? { skipServiceRegistration: true } : {}),
    ...(op.kind === 'create' && entry.createVolume ? { createVolume: { ...entry.createVolume } } : {}),
    ...optional('secretsVersion', state.secretsVersion),
    // `--lease-timeout`: only an in-place update holds a lease (DESIGN §5 step 5).
    ...(op.kind === 'update' ? optional('leaseTimeoutMs', state.leaseTimeoutMs) : {}),
  };
  return { type: 'MachineUpdateRequested', data };
}

function targetConfig(state: ReleaseState, entry: PlanEntry) {
  if (!state.image) throw new HangarError(ErrorCodes.INTERNAL, `release ${state.releaseId} has a plan but no image`);
  const config = machineConfigFor({
    config: state.config,
    group: entry.processGroup,
    image: pinnedImageRef(state.image),
    releaseId: state.releaseId,
    releaseVersion: state.version,
    existing: { ...optional('guest', entry.guest), ...(entry.action === 'green' || entry.action === 'replace' ? {} : optional('mounts', entry.mounts)) },
  });
  if (entry.action === 'create' && entry.volumeId) {
    const mount = config.mounts?.[0];
    return mount ? { ...config, mounts: [{ ...mount, volume: entry.volumeId }] } : config;
  }
  if (entry.action === 'replace') {
    // The successor mounts the volume chosen at planning, or none when [mounts] was removed.
    const mount = config.mounts?.[0];
    return { ...config, mounts: entry.volumeId && mount ? [{ ...mount, volume: entry.volumeId }] : [] };
  }
  return entry.action === 'canary' ? { ...config, metadata: { ...config.metadata, fly_canary: 'true' } } : config;
}

function finish(state: ReleaseState, now: Instant): ReleaseEvent {
  const { releaseId, app, version, failures } = state;
  const finishedAt = isoOf(now);
  if (state.cancelRequested && failures.length === 0) return { type: 'ReleaseCancelled', data: { releaseId, app, version, finishedAt } };
  if (failures.length > 0) {
    return { type: 'ReleaseFailed', data: { releaseId, app, version, reason: failureReason(state), failures, finishedAt } };
  }
  const neverRequested = Object.values(state.ops).filter((s) => s === 'pending').length;
  if (neverRequested > 0 && state.cancelRequested) return { type: 'ReleaseCancelled', data: { releaseId, app, version, finishedAt } };
  if (neverRequested > 0) {
    // Unreachable while the planners are correct (the property tests check it); failing beats hanging.
    const reason = `rollout stalled with ${neverRequested} machine operations never requested`;
    return { type: 'ReleaseFailed', data: { releaseId, app, version, reason, failures, finishedAt } };
  }
  return { type: 'ReleaseCompleted', data: { releaseId, app, version, finishedAt } };
}

function failureReason(state: ReleaseState): string {
  const first = describeFailure(state, state.failures[0] as Failure);
  if (state.strategy !== 'immediate') return first;
  const total = Object.keys(state.ops).length;
  return `${state.failures.length} of ${total} machine operations failed; first: ${first}`;
}

/** `machine <id> update failed: <reason>`, as the CLI prints it (DESIGN §7.1). */
function describeFailure(state: ReleaseState, failure: Failure): string {
  const entry = failure.key === undefined ? undefined : state.plan?.entries.find((e) => e.key === failure.key);
  const request = failure.key === undefined ? undefined : state.requests[failure.key];
  const action = entry?.action ?? request?.kind ?? 'update';
  const machineId = failure.machineId ?? entry?.machineId;
  const subject = machineId ? `machine ${machineId}` : entry ? `new ${entry.processGroup} machine` : `operation ${failure.key ?? '?'}`;
  return `${subject} ${action} failed: ${failure.reason}`;
}

function entryOf(state: ReleaseState, key: string): PlanEntry {
  const entry = state.plan?.entries.find((e) => e.key === key);
  const request = state.requests[key];
  if (!entry && request) {
    return { key, action: request.kind === 'destroy' ? 'destroy' : 'update', processGroup: request.processGroup, ...optional('region', request.region), wasStarted: false, ...optional('machineId', request.machineId) };
  }
  if (!entry) throw new HangarError(ErrorCodes.INTERNAL, `release ${state.releaseId} has no plan entry ${key}`);
  return entry;
}

function requireExists(state: ReleaseState): void {
  if (state.status === 'initial') throw new HangarError(ErrorCodes.RELEASE_NOT_FOUND, 'release not found');
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isoOf(now: Instant): string {
  return (typeof now === 'string' ? new Date(now) : now).toISOString();
}
