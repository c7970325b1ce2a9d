import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, HangarError, streamCategory, streams, type ImageResolutionFailedData, type ImageResolvedData, type ReleaseStartedData } from '@hangar/contracts';
import { EVENT_STORE, StreamVersionConflictError, type EventStore } from '@hangar/event-store';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { ImageResolver } from '../image/image.resolver';

/**
 * A started release needs its image: resolve the reference to a digest and record the result in
 * `image-<releaseId>` (DESIGN §5 step 2). A release's image is resolved once: the stream is
 * appended with NO_STREAM, so a redelivered message changes nothing.
 */
@Injectable()
export class ImageResolutionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: DurableConsumer;

  constructor(
    private readonly factory: ConsumerFactory,
    private readonly resolver: ImageResolver,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.factory.start({
      purpose: 'image-resolution',
      eventType: EventTypes.ReleaseStarted,
      concurrency: 16,
      handler: (event, ctx) => this.handle(event, ctx),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(event: FeedEvent, ctx: ConsumerContext): Promise<HandlerOutcome> {
    if (streamCategory(event.streamId) !== 'release') return { kind: 'ack' };
    const data = event.data as unknown as ReleaseStartedData;
    if (typeof data?.releaseId !== 'string' || typeof data.imageRef !== 'string' || typeof data.app !== 'string') {
      return { kind: 'reject', reason: 'ReleaseStarted without releaseId, app or imageRef' };
    }
    const streamId = streams.image(data.releaseId);
    if ((await this.store.streamVersion(streamId)) > 0) return { kind: 'ack' };
    const outcome = await this.resolve(data);
    const metadata = { correlationId: data.releaseId, causationId: event.eventId, actor: 'system' };
    try {
      await ctx.commit((tx) => this.store.append(streamId, [{ ...outcome, metadata }], { expectedVersion: 'NO_STREAM', tx }).then(() => undefined));
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError)) throw error;
    }
    return { kind: 'ack' };
  }

  private async resolve(data: ReleaseStartedData): Promise<{ type: string; data: Record<string, unknown> }> {
    try {
      const image = await this.resolver.resolve(data.imageRef);
      const resolved: ImageResolvedData = { releaseId: data.releaseId, app: data.app, ...image };
      return { type: EventTypes.ImageResolved, data: { ...resolved } };
    } catch (error) {
      const reason = error instanceof HangarError ? error.message : `image '${data.imageRef}' could not be resolved: ${String(error)}`;
      const failed: ImageResolutionFailedData = { releaseId: data.releaseId, app: data.app, ref: data.imageRef, reason };
      return { type: EventTypes.ImageResolutionFailed, data: { ...failed } };
    }
  }
}
