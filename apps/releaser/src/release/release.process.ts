import { Inject, Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import {
  ErrorCodes,
  HangarError,
  streams,
  type ImageResolutionFailedData,
  type ImageResolvedData,
  type MachineUpdatedData,
  type MachineUpdateFailedData,
  type MachineView,
  type ReleaseTrigger,
} from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventMetadata, type EventStore, type Tx } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import { appDecider, type AppEvent } from '../app/domain/app.decider';
import { releaseDecider, isTerminal, type ReleaseEvent, type ReleaseState, type MachineSnapshot } from './domain/release.decider';
import { evolveAll, loadAggregate, toNewEvents, type Loaded } from '../decider-store';
import { KeyedSerializer, ReleaseStateCache } from './release-state.cache';

export interface CreateReleaseInput {
  app: string;
  config: AppConfig;
  imageRef: string;
  strategy: DeployStrategy;
  maxUnavailable: number;
  waitTimeoutMs: number;
  trigger: ReleaseTrigger;
  actor: string;
}

export interface ReleaseRef {
  id: string;
  version: number;
  status: 'queued' | 'running';
}

const TERMINAL_TYPES = new Set(['ReleaseCompleted', 'ReleaseFailed']);

/**
 * The releaser's process manager on the Nest side: loads a release (and its app), asks the pure
 * deciders what happens next, and appends the result with expected versions, all in one
 * transaction with the message that caused it. No rule lives here.
 */
@Injectable()
export class ReleaseProcess {
  private readonly cache: ReleaseStateCache;
  /** One decision at a time per release in this process: concurrent outcomes would only conflict. */
  private readonly serial = new KeyedSerializer();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
  ) {
    this.cache = new ReleaseStateCache(store);
  }

  async createRelease(input: CreateReleaseInput): Promise<{ release: ReleaseRef }> {
    const metadata: EventMetadata = { actor: input.actor };
    return retryOnConflict(() =>
      this.store.transaction(async (tx) => {
        const app = await loadAggregate(this.store, appDecider, streams.app(input.app), tx);
        const releaseId = ulid();
        metadata.correlationId = releaseId;
        const appEvents = appDecider.decide({ type: 'EnqueueRelease', app: input.app, releaseId, trigger: input.trigger }, app.state);
        const enqueued = appEvents.find((e) => e.type === 'ReleaseEnqueued');
        const version = enqueued && enqueued.type === 'ReleaseEnqueued' ? enqueued.data.version : 0;
        const startsNow = appEvents.some((e) => e.type === 'AppLockAcquired' && e.data.releaseId === releaseId);
        const queued = releaseDecider.decide(
          { type: 'QueueRelease', releaseId, version, ...input, now: new Date().toISOString() },
          releaseDecider.initialState(),
        );
        const started = startsNow
          ? releaseDecider.decide({ type: 'StartRelease' }, evolveAll(releaseDecider, releaseDecider.initialState(), queued))
          : [];
        await this.store.append(streams.app(input.app), toNewEvents(appEvents, metadata), { expectedVersion: app.version, tx });
        await this.store.append(streams.release(releaseId), toNewEvents([...queued, ...started], metadata), { expectedVersion: 'NO_STREAM', tx });
        return { release: { id: releaseId, version, status: startsNow ? 'running' : 'queued' } as ReleaseRef };
      }),
    );
  }

  /** The image is known: list the machines, plan the rollout and request the first operations. */
  async onImageResolved(data: ImageResolvedData, commit: Committer, causationId: string): Promise<void> {
    await this.serial.run(data.releaseId, () => retryOnConflict(async () => {
      const release = await this.cache.load(data.releaseId);
      if (release.state.status !== 'running' || release.state.plan) return;
      const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app: data.app });
      const events = releaseDecider.decide(
        {
          type: 'PlanRollout',
          image: { ref: data.ref, canonicalRef: data.canonicalRef, digest: data.digest, imageId: data.imageId },
          machines: machines.map(toSnapshot),
          now: new Date().toISOString(),
        },
        release.state,
      );
      await commit((tx) => this.appendRelease(data.releaseId, release, events, tx, { correlationId: data.releaseId, causationId, actor: 'system' }));
      this.cache.committed(data.releaseId, release, events);
    }));
  }

  async onImageResolutionFailed(data: ImageResolutionFailedData, commit: Committer, causationId: string): Promise<void> {
    await this.decideAndCommit(data.releaseId, { type: 'FailRelease', reason: data.reason, now: new Date().toISOString() }, commit, causationId);
  }

  async onMachineOutcome(data: MachineUpdatedData | MachineUpdateFailedData, ok: boolean, commit: Committer, causationId: string): Promise<void> {
    await this.decideAndCommit(
      data.releaseId,
      {
        type: 'RecordStepOutcome',
        key: data.key,
        ok,
        ...(data.machineId ? { machineId: data.machineId } : {}),
        ...('instanceId' in data && data.instanceId ? { instanceId: data.instanceId } : {}),
        ...('reason' in data ? { reason: data.reason } : {}),
        now: new Date().toISOString(),
      },
      commit,
      causationId,
    );
  }

  private async decideAndCommit(
    releaseId: string,
    command: Parameters<typeof releaseDecider.decide>[0],
    commit: Committer,
    causationId: string,
  ): Promise<void> {
    await this.serial.run(releaseId, () => retryOnConflict(async () => {
      const release = await this.cache.load(releaseId);
      if (release.state.status === 'initial' || isTerminal(release.state)) return;
      const events = releaseDecider.decide(command, release.state);
      if (events.length === 0) return;
      await commit((tx) => this.appendRelease(releaseId, release, events, tx, { correlationId: releaseId, causationId, actor: 'system' }));
      this.cache.committed(releaseId, release, events);
    }));
  }

  private load(releaseId: string, tx?: Tx): Promise<Loaded<ReleaseState>> {
    return loadAggregate(this.store, releaseDecider, streams.release(releaseId), tx);
  }

  /** Appends release events; a terminal one frees the app and starts its next queued release, atomically. */
  private async appendRelease(releaseId: string, release: Loaded<ReleaseState>, events: readonly ReleaseEvent[], tx: Tx, metadata: EventMetadata): Promise<void> {
    await this.store.append(streams.release(releaseId), toNewEvents(events, metadata), { expectedVersion: release.version, tx });
    const terminal = events.find((e) => TERMINAL_TYPES.has(e.type));
    if (!terminal) return;
    const appName = release.state.app!;
    const status = terminal.type === 'ReleaseCompleted' ? 'complete' : 'failed';
    const app = await loadAggregate(this.store, appDecider, streams.app(appName), tx);
    const appEvents: readonly AppEvent[] = appDecider.decide({ type: 'FinishRelease', releaseId, status }, app.state);
    await this.store.append(streams.app(appName), toNewEvents(appEvents, metadata), { expectedVersion: app.version, tx });
    for (const e of appEvents) {
      if (e.type !== 'AppLockAcquired') continue;
      const next = await this.load(e.data.releaseId, tx);
      const started = releaseDecider.decide({ type: 'StartRelease' }, next.state);
      await this.store.append(streams.release(e.data.releaseId), toNewEvents(started, { ...metadata, correlationId: e.data.releaseId }), { expectedVersion: next.version, tx });
    }
  }
}

/** Runs a write in the transaction that also marks the consumed message processed. */
export type Committer = (fn: (tx: Tx) => Promise<void>) => Promise<void>;

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
  };
}

export function appNotFound(app: string): HangarError {
  return new HangarError(ErrorCodes.APP_NOT_FOUND, `app '${app}' not found`, { app });
}
