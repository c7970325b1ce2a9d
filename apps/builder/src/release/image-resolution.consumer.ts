import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, streamCategory, type ReleaseStartedData } from '@hangar/contracts';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { ReleaseImageService } from './release-image.service';

/**
 * A started release needs its image: resolve the reference to a digest and record the result in
 * `image-<releaseId>` (DESIGN §5 step 2). A release's image is resolved once: a redelivered message
 * changes nothing.
 */
@Injectable()
export class ImageResolutionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: DurableConsumer;

  constructor(
    private readonly factory: ConsumerFactory,
    private readonly images: ReleaseImageService,
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
    await this.images.resolveOnce(data, event.eventId, (write) => ctx.commit((tx) => write(tx)));
    return { kind: 'ack' };
  }
}
