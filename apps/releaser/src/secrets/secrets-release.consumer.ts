import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SecretsEventTypes, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { queueSecretsRelease } from './queue-secrets-release';

/**
 * A secret change is a release (DESIGN §6.6): a non-staged `SecretsUpdated` or a
 * `SecretsDeployRequested` queues a release (trigger `secrets`) of the app's current image and
 * config with the new secrets version, in the transaction that marks the event processed.
 */
@Injectable()
export class SecretsReleaseConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: DurableConsumer[] = [];

  constructor(
    private readonly factory: ConsumerFactory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const eventType of [SecretsEventTypes.SecretsUpdated, SecretsEventTypes.SecretsDeployRequested]) {
      this.consumers.push(await this.factory.start({ purpose: `secrets-release-${eventType}`, eventType, concurrency: 8, handler: (e, ctx) => this.handle(e, ctx) }));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  private async handle(event: FeedEvent, ctx: ConsumerContext): Promise<HandlerOutcome> {
    const d = event.data as { app?: unknown; version?: unknown; staged?: unknown };
    if (typeof d.app !== 'string' || !Number.isInteger(d.version) || event.streamId !== streams.secrets(d.app)) {
      return { kind: 'reject', reason: `${event.type} needs app and version and must come from secrets-<app>` };
    }
    if (event.type === SecretsEventTypes.SecretsUpdated && d.staged !== false) return { kind: 'ack' };
    const request = { app: d.app, secretsVersion: d.version as number, actor: event.metadata.actor ?? 'system' };
    await ctx.commit((tx) => queueSecretsRelease(this.store, request, tx, event.eventId));
    return { kind: 'ack' };
  }
}
