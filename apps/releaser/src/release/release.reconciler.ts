import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, streams, type ImageResolutionFailedData, type ImageResolvedData, type MachineUpdatedData, type MachineUpdateFailedData } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CommandClient, PeriodicRounds } from '@hangar/messaging';
import { appDecider, type AppEvent, type AppState } from '../app/domain/app.decider';
import { evolveAll, loadAggregate, type Loaded } from '../decider-store';
import { pendingWork } from './domain/pending-work';
import { releaseDecider } from './domain/release.decider';
import { ReleaseProcess, type Committer } from './release.process';

/** Injection token of {@link ReconcileOptions}. */
export const RECONCILE_OPTIONS = Symbol('RECONCILE_OPTIONS');

export interface ReconcileOptions {
  /** Time between rounds, in ms; the first round runs at start. */
  intervalMs: number;
}

/** An outcome as another service recorded it (and answers it when asked). */
type RecordedOutcome = { eventId: string; type: string; data: Record<string, unknown> };
type OperationStatus = { status: 'done'; outcome: RecordedOutcome } | { status: 'running' } | { status: 'started' };

const COMMAND_TIMEOUT_MS = 5000;

/**
 * The releaser's side of "the store stays the truth" (DESIGN §4, G2, G3): on start and then every
 * `intervalMs`, every app's running release is folded from its stream and whatever it still waits
 * for is looked up where it would have been recorded, or asked for again:
 * - no plan yet: the image outcome in `image-<id>` (or builder's `resolve-image`, which resolves it
 *   once) is fed to the process, which plans (or runs the release command) as if the message came;
 * - requested operations without an outcome: machine-updater's `reconcile-operation` answers the
 *   recorded outcome (its message was lost), says someone is on it, or resumes it.
 * A wait is only chased once it was already there the round before (or right after a start, when
 * every wait is suspect), so work in flight is not disturbed. Everything fed back goes through the
 * same idempotent decisions as the feed, so a message arriving late changes nothing.
 */
@Injectable()
export class ReleaseReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReleaseReconciler.name);
  private readonly apps = new Map<string, Loaded<AppState>>();
  private readonly commit: Committer;
  private waiting = new Set<string>();
  private firstRound = true;
  private readonly rounds: PeriodicRounds;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly process: ReleaseProcess,
    private readonly commands: CommandClient,
    @Inject(RECONCILE_OPTIONS) private readonly options: ReconcileOptions,
  ) {
    this.commit = (fn) => this.store.transaction(fn);
    this.rounds = new PeriodicRounds('reconcile', () => this.options.intervalMs, () => this.reconcileAll(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /** One pass over every app's running release. */
  private async reconcileAll(): Promise<void> {
    const previous = this.waiting;
    this.waiting = new Set();
    const chase = (what: string) => {
      this.waiting.add(what);
      return this.firstRound || previous.has(what);
    };
    for (const streamId of await this.store.listStreams(streams.app(''))) {
      if (this.rounds.stopped) return;
      const running = (await this.loadApp(streamId)).state.running;
      if (running) await this.reconcileRelease(running.releaseId, chase).catch((error: unknown) => this.warn(running.releaseId, error));
    }
    this.firstRound = false;
  }


  private async reconcileRelease(releaseId: string, chase: (what: string) => boolean): Promise<void> {
    const { state } = await loadAggregate(this.store, releaseDecider, streams.release(releaseId));
    const work = pendingWork(state);
    if (work.kind === 'image' && chase(`image:${releaseId}`)) await this.reconcileImage(releaseId);
    if (work.kind === 'operations') {
      const keys = work.keys.filter((key) => chase(`op:${key}`));
      await Promise.all(keys.map((key) => this.reconcileOperation(releaseId, key).catch((error: unknown) => this.warn(key, error))));
    }
  }

  private async reconcileImage(releaseId: string): Promise<void> {
    const [recorded] = await this.store.readStream(streams.image(releaseId));
    const outcome: RecordedOutcome = recorded
      ? { eventId: recorded.eventId, type: recorded.type, data: recorded.data }
      : (await this.commands.request<{ image: RecordedOutcome }>('builder', 'resolve-image', { releaseId }, { timeoutMs: COMMAND_TIMEOUT_MS })).image;
    if (outcome.type === EventTypes.ImageResolved) {
      await this.process.onImageResolved(outcome.data as unknown as ImageResolvedData, this.commit, outcome.eventId);
    } else if (outcome.type === EventTypes.ImageResolutionFailed) {
      await this.process.onImageResolutionFailed(outcome.data as unknown as ImageResolutionFailedData, this.commit, outcome.eventId);
    }
  }

  private async reconcileOperation(releaseId: string, key: string): Promise<void> {
    const reply = await this.commands.request<OperationStatus>('machine-updater', 'reconcile-operation', { releaseId, key }, { timeoutMs: COMMAND_TIMEOUT_MS });
    if (reply.status !== 'done') return;
    const { outcome } = reply;
    const ok = outcome.type === EventTypes.MachineUpdated;
    await this.process.onMachineOutcome(outcome.data as unknown as MachineUpdatedData | MachineUpdateFailedData, ok, this.commit, outcome.eventId);
  }

  /** App streams folded incrementally: each round reads only what was appended since the last. */
  private async loadApp(streamId: string): Promise<Loaded<AppState>> {
    const cached = this.apps.get(streamId) ?? { state: appDecider.initialState(), version: 0 };
    const events = await this.store.readStream(streamId, { from: cached.version + 1 });
    const loaded = {
      state: evolveAll(appDecider, cached.state, events.map((e) => ({ type: e.type, data: e.data }) as unknown as AppEvent)),
      version: cached.version + events.length,
    };
    this.apps.set(streamId, loaded);
    return loaded;
  }

  private warn(subject: string, error: unknown): void {
    this.logger.warn(`reconciling ${subject}: ${(error as Error).message}`);
  }
}
