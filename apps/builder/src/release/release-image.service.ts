import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventTypes, HangarError, streams, type ImageResolutionFailedData, type ImageResolvedData, type ReleaseStartedData } from '@hangar/contracts';
import { EVENT_STORE, StreamVersionConflictError, type EventStore, type StoredEvent, type Tx } from '@hangar/event-store';
import { ImageResolver } from '../image/image.resolver';

/** The one event of `image-<releaseId>`: `ImageResolved` or `ImageResolutionFailed`. */
export type ImageOutcome =
  | { eventId: string; type: typeof EventTypes.ImageResolved; data: ImageResolvedData }
  | { eventId: string; type: typeof EventTypes.ImageResolutionFailed; data: ImageResolutionFailedData };

/** Runs the append in the transaction that also marks the consumed message processed, or on its own. */
export type ImageCommit = (write: (tx?: Tx) => Promise<void>) => Promise<void>;

/**
 * Resolves a started release's image once (DESIGN §5 step 2): `image-<releaseId>` is appended with
 * NO_STREAM, so whoever asks again (a redelivered `ReleaseStarted`, the releaser's reconciliation of
 * a release whose image was never resolved) gets the outcome already recorded.
 */
@Injectable()
export class ReleaseImageService {
  constructor(
    private readonly resolver: ImageResolver,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The recorded outcome, if any. */
  async recorded(releaseId: string): Promise<ImageOutcome | undefined> {
    const [first] = await this.store.readStream(streams.image(releaseId));
    return first ? toOutcome(first) : undefined;
  }

  /** The recorded outcome, or the image resolved now and recorded (`commit` defaults to a plain append). */
  async resolveOnce(started: ReleaseStartedData, causationId: string, commit: ImageCommit = (write) => write()): Promise<ImageOutcome> {
    const existing = await this.recorded(started.releaseId);
    if (existing) return existing;
    const outcome = await this.resolve(started);
    const metadata = { correlationId: started.releaseId, causationId, actor: 'system' };
    try {
      await commit(async (tx) => {
        const event = { eventId: outcome.eventId, type: outcome.type, data: { ...outcome.data }, metadata };
        await this.store.append(streams.image(started.releaseId), [event], { expectedVersion: 'NO_STREAM', ...(tx ? { tx } : {}) });
      });
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError)) throw error;
      // Someone else recorded it first: theirs is the outcome.
      return (await this.recorded(started.releaseId)) ?? outcome;
    }
    return outcome;
  }

  private async resolve(data: ReleaseStartedData): Promise<ImageOutcome> {
    const eventId = randomUUID();
    try {
      const image = await this.resolver.resolve(data.imageRef);
      return { eventId, type: EventTypes.ImageResolved, data: { releaseId: data.releaseId, app: data.app, ...image } };
    } catch (error) {
      const reason = error instanceof HangarError ? error.message : `image '${data.imageRef}' could not be resolved: ${String(error)}`;
      return { eventId, type: EventTypes.ImageResolutionFailed, data: { releaseId: data.releaseId, app: data.app, ref: data.imageRef, reason } };
    }
  }
}

function toOutcome(e: StoredEvent): ImageOutcome {
  return { eventId: e.eventId, type: e.type, data: e.data } as unknown as ImageOutcome;
}
