import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes } from '@hangar/contracts';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { secretsDecider } from '../secrets/domain/secrets.decider';
import { SecretsStreams } from '../secrets/secrets-streams';

/**
 * Watches `ReleaseQueued` on the feed and records `SecretsReleased` when a release carries a newer
 * secrets version: what `secrets list` calls `deployed`, and what the CLI waits for to follow the release.
 */
@Injectable()
export class ReleaseTrackingConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: DurableConsumer;

  constructor(
    private readonly factory: ConsumerFactory,
    private readonly streams: SecretsStreams,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.factory.start({ purpose: 'release-tracking', eventType: EventTypes.ReleaseQueued, concurrency: 8, handler: (e, ctx) => this.handle(e, ctx) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(event: FeedEvent, ctx: ConsumerContext): Promise<HandlerOutcome> {
    const d = event.data as { app?: unknown; releaseId?: unknown; version?: unknown; secretsVersion?: unknown };
    if (d.secretsVersion === undefined) return { kind: 'ack' };
    if (typeof d.app !== 'string' || typeof d.releaseId !== 'string' || !Number.isInteger(d.version) || !Number.isInteger(d.secretsVersion)) {
      return { kind: 'reject', reason: 'ReleaseQueued needs app, releaseId, version and an integer secretsVersion' };
    }
    const app = d.app;
    await ctx.commit(async (tx) => {
      const loaded = await this.streams.load(app, tx);
      const events = secretsDecider.decide(
        { type: 'RecordRelease', app, secretsVersion: d.secretsVersion as number, releaseId: d.releaseId as string, releaseVersion: d.version as number },
        loaded.state,
      );
      await this.streams.append(app, loaded, events, { actor: 'system', causationId: event.eventId, correlationId: d.releaseId as string }, tx);
    });
    return { kind: 'ack' };
  }
}
