import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCodes,
  HangarError,
  streams,
  type ImageResolutionFailedData,
  type ImageResolvedData,
  type MachineUpdatedData,
  type MachineUpdateFailedData,
  type MachinesProvider,
  type MachineView,
} from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventMetadata, type EventStore, type Tx } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { appDecider, type AppEvent } from '../app/domain/app.decider';
import { releaseDecider, isTerminal, type ReleaseCommand, type ReleaseEvent, type ReleaseState, type MachineSnapshot, type ResolvedImage } from './domain/release.decider';
import { evolveAll, loadAggregate, toNewEvents, type Loaded } from '../decider-store';
import { KeyedSerializer, ReleaseStateCache } from './release-state.cache';
import type { VolumeSnapshot } from './domain/volume-plan';
import { enqueueRelease, releaseIdOf, rollbackInput, type CreateReleaseInput, type ReleaseRef } from './release-queue';
import { MACHINES_PROVIDER } from '../machines-provider.token';

export type { CreateReleaseInput, ReleaseRef } from './release-queue';

const TERMINAL: Readonly<Record<string, 'complete' | 'failed' | 'cancelled'>> = {
  ReleaseCompleted: 'complete',
  ReleaseFailed: 'failed',
  ReleaseCancelled: 'cancelled',
};

/** Runs a write in the transaction that also marks the consumed message processed. */
export type Committer = (fn: (tx: Tx) => Promise<void>) => Promise<void>;

/**
 * The releaser's process manager on the Nest side: loads a release (and its app), asks the pure
 * deciders what happens next, and appends the result with expected versions, in one transaction
 * with the message that caused it. No rule lives here.
 */
@Injectable()
export class ReleaseProcess {
  private readonly logger = new Logger(ReleaseProcess.name);
  private readonly cache: ReleaseStateCache;
  /** One decision at a time per release in this process: concurrent outcomes would only conflict. */
  private readonly serial = new KeyedSerializer();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
    @Inject(MACHINES_PROVIDER) private readonly provider: MachinesProvider,
  ) {
    this.cache = new ReleaseStateCache(store);
  }

  async createRelease(input: CreateReleaseInput): Promise<{ release: ReleaseRef }> {
    const release = await retryOnConflict(() => this.store.transaction((tx) => enqueueRelease(this.store, input, tx, { actor: input.actor })));
    return { release };
  }

  /** `releases rollback [vN]`: a new release of vN's image and config (default: the last complete before the current). */
  async rollback(app: string, version: number | undefined, actor: string, restoreSecrets = false): Promise<{ release: ReleaseRef }> {
    const target = await this.load(await this.rollbackTarget(app, version));
    if (target.state.status !== 'complete') {
      throw new HangarError(ErrorCodes.VALIDATION, `release v${target.state.version} is ${target.state.status}; roll back to a complete release`, { version: target.state.version });
    }
    return this.createRelease(rollbackInput(target.state, { actor, restoreSecrets }));
  }

  /** `releases cancel vN`: a queued release leaves the queue; a running one stops between operations. */
  async cancel(app: string, version: number, actor: string): Promise<{ release: { id: string; version: number; status: string } }> {
    const releaseId = await releaseIdOf(this.store, app, version);
    return this.serial.run(releaseId, () =>
      retryOnConflict(async () => {
        const release = await this.cache.load(releaseId);
        if (isTerminal(release.state)) {
          throw new HangarError('RELEASE.ALREADY_FINISHED', `release v${version} already finished (${release.state.status})`, { version, status: release.state.status });
        }
        const events = releaseDecider.decide({ type: 'CancelRelease', actor, now: new Date().toISOString() }, release.state);
        await this.store.transaction((tx) => this.appendRelease(releaseId, release, events, tx, { correlationId: releaseId, actor }));
        this.cache.committed(releaseId, release, events);
        const after = await this.cache.load(releaseId);
        return { release: { id: releaseId, version, status: after.state.cancelRequested && !isTerminal(after.state) ? 'cancelling' : after.state.status } };
      }),
    );
  }

  /** Cancels a queued release inside `tx` (a newer registry push supersedes it): it leaves the app's queue. */
  async cancelQueuedIn(tx: Tx, releaseId: string, metadata: EventMetadata): Promise<void> {
    const release = await this.load(releaseId, tx);
    if (release.state.status !== 'queued') return;
    const events = releaseDecider.decide({ type: 'CancelRelease', actor: metadata.actor ?? 'system', now: new Date().toISOString() }, release.state);
    await this.appendRelease(releaseId, release, events, tx, metadata);
  }

  /** The image is known: list the machines, plan (or run the release command first). */
  async onImageResolved(data: ImageResolvedData, commit: Committer, causationId: string): Promise<void> {
    const image = { ref: data.ref, canonicalRef: data.canonicalRef, digest: data.digest, imageId: data.imageId };
    await this.plan(data.releaseId, image, commit, causationId);
  }

  async onImageResolutionFailed(data: ImageResolutionFailedData, commit: Committer, causationId: string): Promise<void> {
    await this.decideAndCommit(data.releaseId, { type: 'FailRelease', reason: data.reason, now: new Date().toISOString() }, commit, causationId);
  }

  async onMachineOutcome(data: MachineUpdatedData | MachineUpdateFailedData, ok: boolean, commit: Committer, causationId: string): Promise<void> {
    const state = await this.decideAndCommit(
      data.releaseId,
      {
        type: 'RecordStepOutcome',
        key: data.key,
        ok,
        ...(data.machineId ? { machineId: data.machineId } : {}),
        ...('instanceId' in data && data.instanceId ? { instanceId: data.instanceId } : {}),
        ...('reason' in data ? { reason: data.reason } : {}),
        ...(data.exitCode === undefined ? {} : { exitCode: data.exitCode }),
        ...(data.logs ? { logs: data.logs } : {}),
        ...(data.logsUnavailable ? { logsUnavailable: data.logsUnavailable } : {}),
        now: new Date().toISOString(),
      },
      commit,
      causationId,
    );
    // The release command succeeded: now the rollout can be planned against the machines as they are.
    if (state && state.status === 'running' && !state.plan && state.releaseCommand?.status === 'succeeded' && state.image) {
      await this.plan(data.releaseId, state.image, (fn) => this.store.transaction(fn), causationId);
    }
  }

  private async plan(releaseId: string, image: ResolvedImage, commit: Committer, causationId: string): Promise<void> {
    await this.serial.run(releaseId, () =>
      retryOnConflict(async () => {
        const release = await this.cache.load(releaseId);
        if (release.state.status !== 'running' || release.state.plan) return;
        const { machines, volumes } = await fleetOf(this.commands, release.state.app);
        const events = releaseDecider.decide({ type: 'PlanRollout', image, machines, volumes, provider: this.provider.kind, now: new Date().toISOString() }, release.state);
        if (events.length === 0) return;
        await commit((tx) => this.appendRelease(releaseId, release, events, tx, { correlationId: releaseId, causationId, actor: 'system' }));
        this.cache.committed(releaseId, release, events);
      }),
    );
  }

  private async decideAndCommit(releaseId: string, command: ReleaseCommand, commit: Committer, causationId: string): Promise<ReleaseState | undefined> {
    return this.serial.run(releaseId, () =>
      retryOnConflict(async () => {
        const release = await this.cache.load(releaseId);
        if (release.state.status === 'initial' || isTerminal(release.state)) return undefined;
        const events = releaseDecider.decide(command, release.state);
        if (events.length === 0) return release.state;
        await commit((tx) => this.appendRelease(releaseId, release, events, tx, { correlationId: releaseId, causationId, actor: 'system' }));
        this.cache.committed(releaseId, release, events);
        return (await this.cache.load(releaseId)).state;
      }),
    );
  }

  private load(releaseId: string, tx?: Tx): Promise<Loaded<ReleaseState>> {
    return loadAggregate(this.store, releaseDecider, streams.release(releaseId), tx);
  }

  /**
   * Appends release events; a terminal one frees the app, queues an automatic rollback when the
   * release failed and asks for one, and starts the app's next release, all atomically.
   */
  private async appendRelease(releaseId: string, release: Loaded<ReleaseState>, events: readonly ReleaseEvent[], tx: Tx, metadata: EventMetadata): Promise<void> {
    await this.store.append(streams.release(releaseId), toNewEvents(events, metadata), { expectedVersion: release.version, tx });
    const terminal = events.find((e) => TERMINAL[e.type]);
    if (!terminal) return;
    const appName = release.state.app;
    const app = await loadAggregate(this.store, appDecider, streams.app(appName), tx);
    const appEvents: readonly AppEvent[] = appDecider.decide({ type: 'FinishRelease', releaseId, status: TERMINAL[terminal.type]! }, app.state);
    await this.store.append(streams.app(appName), toNewEvents(appEvents, metadata), { expectedVersion: app.version, tx });
    const next = appEvents.find((e) => e.type === 'AppLockAcquired');
    if (next && next.type === 'AppLockAcquired') {
      await this.startNext(next.data.releaseId, tx, metadata);
    } else if (terminal.type === 'ReleaseFailed' && wantsAutoRollback(evolveAll(releaseDecider, release.state, events)) && app.state.lastComplete && app.state.queue.length === 0) {
      const target = await this.load(app.state.lastComplete.releaseId, tx);
      const rollback = await enqueueRelease(this.store, rollbackInput(target.state, { actor: 'system' }), tx, { ...metadata, actor: 'system' });
      await this.store.append(streams.release(releaseId), [{ type: 'ReleaseRolledBack', data: { releaseId, app: appName, rollbackReleaseId: rollback.id, rollbackVersion: rollback.version, toVersion: target.state.version }, metadata }], {
        expectedVersion: release.version + events.length,
        tx,
      });
      this.logger.warn(`release v${release.state.version} of ${appName} failed: rolling back to v${target.state.version} as v${rollback.version}`);
    }
  }

  private async startNext(releaseId: string, tx: Tx, metadata: EventMetadata): Promise<void> {
    const next = await this.load(releaseId, tx);
    const started = releaseDecider.decide({ type: 'StartRelease' }, next.state);
    await this.store.append(streams.release(releaseId), toNewEvents(started, { ...metadata, correlationId: releaseId }), { expectedVersion: next.version, tx });
  }

  private async rollbackTarget(app: string, version: number | undefined): Promise<string> {
    if (version !== undefined) return releaseIdOf(this.store, app, version);
    const { state } = await loadAggregate(this.store, appDecider, streams.app(app));
    if (!state.exists) throw appNotFound(app);
    const current = state.lastComplete?.version ?? Number.POSITIVE_INFINITY;
    const candidates = Object.entries(state.versions).filter(([, v]) => v < current).sort((a, b) => b[1] - a[1]);
    for (const [id] of candidates) {
      if ((await this.load(id)).state.status === 'complete') return id;
    }
    throw new HangarError(ErrorCodes.RELEASE_NOT_FOUND, `app '${app}' has no complete release before v${state.lastComplete?.version ?? '?'} to roll back to`, { app });
  }
}

/** `[deploy] auto_rollback` (default on) for rolling and canary releases that changed machines (DESIGN §5 step 6). */
function wantsAutoRollback(state: ReleaseState): boolean {
  if (state.trigger === 'rollback' || state.config.deploy?.autoRollback === false) return false;
  if (state.strategy !== 'rolling' && state.strategy !== 'canary') return false;
  return Object.values(state.ops).some((s) => s === 'succeeded' || s === 'failed');
}

/** The app's machines and volumes as the machines API has them now (through machine-updater). */
export async function fleetOf(commands: CommandClient, app: string): Promise<{ machines: MachineSnapshot[]; volumes: VolumeSnapshot[] }> {
  const [{ machines }, { volumes }] = await Promise.all([
    commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app }),
    commands.request<{ volumes: VolumeSnapshot[] }>('machine-updater', 'list-volumes', { app }),
  ]);
  return { machines: machines.map(toSnapshot), volumes };
}

function toSnapshot(m: MachineView): MachineSnapshot {
  return {
    id: m.id,
    state: m.state,
    region: m.region,
    processGroup: m.processGroup,
    managed: m.managed,
    ...(m.releaseId ? { releaseId: m.releaseId } : {}),
    ...(m.releaseVersion ? { releaseVersion: m.releaseVersion } : {}),
    instanceId: m.instanceId,
    config: m.config,
    ...(m.hostStatus ? { hostStatus: m.hostStatus } : {}),
  };
}

export function appNotFound(app: string): HangarError {
  return new HangarError(ErrorCodes.APP_NOT_FOUND, `app '${app}' not found`, { app });
}
