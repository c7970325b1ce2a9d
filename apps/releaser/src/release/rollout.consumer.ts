import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, streamCategory, type ImageResolutionFailedData, type ImageResolvedData, type MachineUpdatedData, type MachineUpdateFailedData } from '@hangar/contracts';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { ReleaseProcess } from './release.process';

type Route = (event: FeedEvent, ctx: ConsumerContext) => Promise<void>;

/**
 * Feeds the release process manager from the event feed: image resolution results from builder
 * and machine operation outcomes from machine-updater. One durable consumer per event type.
 */
@Injectable()
export class RolloutConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: DurableConsumer[] = [];

  constructor(
    private readonly factory: ConsumerFactory,
    private readonly process: ReleaseProcess,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const routes: Record<string, Route> = {
      [EventTypes.ImageResolved]: (e, ctx) => this.process.onImageResolved(e.data as unknown as ImageResolvedData, ctx.commit, e.eventId),
      [EventTypes.ImageResolutionFailed]: (e, ctx) =>
        this.process.onImageResolutionFailed(e.data as unknown as ImageResolutionFailedData, ctx.commit, e.eventId),
      [EventTypes.MachineUpdated]: (e, ctx) => this.process.onMachineOutcome(e.data as unknown as MachineUpdatedData, true, ctx.commit, e.eventId),
      [EventTypes.MachineUpdateFailed]: (e, ctx) =>
        this.process.onMachineOutcome(e.data as unknown as MachineUpdateFailedData, false, ctx.commit, e.eventId),
    };
    for (const [eventType, route] of Object.entries(routes)) {
      this.consumers.push(
        await this.factory.start({
          purpose: `rollout-${eventType}`,
          eventType,
          concurrency: 32,
          handler: (event, ctx) => this.run(route, event, ctx),
        }),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  private async run(route: Route, event: FeedEvent, ctx: ConsumerContext): Promise<HandlerOutcome> {
    const data = event.data as { releaseId?: unknown };
    if (typeof data?.releaseId !== 'string') return { kind: 'reject', reason: 'event has no releaseId' };
    if (!['image', 'machine'].includes(streamCategory(event.streamId))) return { kind: 'reject', reason: `unexpected stream ${event.streamId}` };
    await route(event, ctx);
    return { kind: 'ack' };
  }
}
