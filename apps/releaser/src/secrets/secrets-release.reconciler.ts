import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { PeriodicRounds } from '@hangar/messaging';
import { pendingSecretsRelease, type PendingSecretsRelease } from './domain/secrets-release';
import { queueSecretsRelease } from './queue-secrets-release';

const INTERVAL_MS = 30_000;
/** A change younger than this is the consumer's business. */
const GRACE_MS = 60_000;

/**
 * "The store stays the truth" for secret changes (DESIGN §4, G3): on start and every 30 s, each app's
 * newest secret change that asked for a release is checked for a release queued after it that
 * carries its version (or a `SecretsReleased`); none, and its feed message was lost: the release is
 * queued now, through the same idempotent decision as the consumer's.
 */
@Injectable()
export class SecretsReleaseReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SecretsReleaseReconciler.name);
  private readonly rounds: PeriodicRounds;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.rounds = new PeriodicRounds('secrets reconcile', () => INTERVAL_MS, () => this.reconcileAll(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }


  private async reconcileAll(): Promise<void> {
    for (const streamId of await this.store.listStreams(streams.secrets(''))) {
      if (this.rounds.stopped) return;
      const app = streamId.slice(streams.secrets('').length);
      const events = await this.store.readStream(streamId);
      const pending = pendingSecretsRelease(app, events.map((e) => ({ ...e, actor: e.metadata.actor })), new Date(), GRACE_MS);
      if (!pending || (await this.releasedAfter(pending))) continue;
      this.logger.warn(`secrets version ${pending.secretsVersion} of ${app} has no release yet: queueing it`);
      await this.store.transaction((tx) => queueSecretsRelease(this.store, pending, tx, pending.eventId));
    }
  }

  /** Whether a release queued after the change carries its version. */
  private async releasedAfter(pending: PendingSecretsRelease): Promise<boolean> {
    const appEvents = await this.store.readStream(streams.app(pending.app));
    for (const e of appEvents) {
      if (e.type !== 'ReleaseEnqueued' || e.globalPosition < pending.globalPosition) continue;
      const [queued] = await this.store.readStream(streams.release(String((e.data as { releaseId: string }).releaseId)));
      if (Number((queued?.data as { secretsVersion?: number } | undefined)?.secretsVersion ?? 0) >= pending.secretsVersion) return true;
    }
    return false;
  }
}
