import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EventTypes, HangarError, commandPattern, streams, type ReleaseStartedData } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { ResolveImageDto } from './dto/resolve-image.dto';
import { ReleaseImageService, type ImageOutcome } from './release-image.service';

export const ImageErrorCodes = { RELEASE_NOT_STARTED: 'IMAGE.RELEASE_NOT_STARTED' } as const;

/**
 * `resolve-image {releaseId}`: the releaser's recovery path for a started release whose image was
 * never resolved (its `ReleaseStarted` message lost, builder down for longer than the redeliveries).
 * Answers `{ image }`: the recorded outcome, or the one recorded now. The reference to resolve is read
 * from the release stream, never taken from the command.
 */
@Controller()
export class ResolveImageHandler {
  constructor(
    private readonly images: ReleaseImageService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('builder', 'resolve-image'))
  async resolve(@Payload() dto: ResolveImageDto): Promise<{ image: ImageOutcome }> {
    const started = (await this.store.readStream(streams.release(dto.releaseId))).find((e) => e.type === EventTypes.ReleaseStarted);
    if (!started) {
      throw new HangarError(ImageErrorCodes.RELEASE_NOT_STARTED, `release ${dto.releaseId} has not started`, { releaseId: dto.releaseId });
    }
    return { image: await this.images.resolveOnce(started.data as unknown as ReleaseStartedData, started.eventId) };
  }
}
