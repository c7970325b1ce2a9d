import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCodes, HangarError, RegistryEventTypes, streams, type ImagePushedData, type IgnoredDeliveryItem, type NormalizedPush, type RecordedPush, type RegistrySource } from '@hangar/contracts';
import { EVENT_STORE, PG_POOL, retryOnConflict, sqlFilesIn, type EventStore, type SqlQueryable } from '@hangar/event-store';
import { normalizePushImage } from './domain/image-name';
import { clampPushedAt } from './domain/push-authorization';
import { dedupeKeyOf } from './domain/push-evaluation';

const SQL = { recordedPush: sqlFilesIn(__dirname)('recorded-push') };

/**
 * Records pushes as `ImagePushed` in `registry-<host>/<repository>`, whether or not a trigger
 * follows the image (issue 6), once: a repeated delivery finds the push already recorded and
 * writes nothing. The evaluation against triggers follows from the event feed. A `pushedAt` more
 * than 5 s (`PUSHED_AT_SKEW_MS`) after the receipt is recorded as the receipt time, for NATS
 * `record-push` and webhook deliveries alike (review H4). The repeat is found by index
 * (`sql/recorded-push.sql`), so recording costs the same however long the repository's history (review M6).
 */
@Injectable()
export class PushRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly db: SqlQueryable,
  ) {}

  async record(push: NormalizedPush, opts: { receiverId?: string; actor: string }): Promise<RecordedPush> {
    const name = normalizePushImage(push.host, push.repository);
    const reported = new Date(push.pushedAt);
    if (Number.isNaN(reported.getTime())) {
      throw new HangarError(ErrorCodes.VALIDATION, `pushedAt '${push.pushedAt}' is not a time`, [{ path: 'pushedAt', message: 'not a time' }]);
    }
    const pushedAt = clampPushedAt(reported, new Date());
    const normalized: NormalizedPush = {
      host: name.host,
      repository: name.repository,
      tag: push.tag,
      ...(push.digest ? { digest: push.digest } : {}),
      pushedAt: pushedAt.toISOString(),
      source: push.source,
      ...(push.deliveryId ? { deliveryId: push.deliveryId } : {}),
    };
    const streamId = streams.registry(`${name.host}/${name.repository}`);
    const summary = { host: name.host, repository: name.repository, tag: push.tag };
    return retryOnConflict(async () => {
      // The version first: a repeat appended after it makes the append below conflict, and the retry finds it.
      const version = await this.store.streamVersion(streamId);
      const duplicate = await this.recordedPush(streamId, normalized);
      if (duplicate) return { status: 'duplicate', pushEventId: duplicate, ...summary };
      const data: ImagePushedData = { ...normalized, ...(opts.receiverId ? { receiverId: opts.receiverId } : {}), dedupeKey: dedupeKeyOf(normalized) };
      const eventId = randomUUID();
      await this.store.append(streamId, [{ eventId, type: RegistryEventTypes.ImagePushed, data: { ...data }, metadata: { actor: opts.actor } }], { expectedVersion: version });
      return { status: 'recorded', pushEventId: eventId, ...summary };
    });
  }

  /** The event id of the `ImagePushed` in `streamId` that `push` repeats: the same dedupe key, or the same tag and digest. */
  private async recordedPush(streamId: string, push: NormalizedPush): Promise<string | undefined> {
    const { rows } = await this.db.query<{ event_id: string }>(SQL.recordedPush, [streamId, dedupeKeyOf(push), push.tag, push.digest ?? null]);
    return rows[0]?.event_id;
  }

  /** Authenticated delivery items that are not pushes to deploy from, in `receiver-<id>` with their reasons. */
  async recordIgnored(receiverId: string, source: RegistrySource, items: readonly IgnoredDeliveryItem[], actor: string): Promise<void> {
    if (items.length === 0) return;
    const events = items.map((i) => ({
      type: RegistryEventTypes.RegistryDeliveryIgnored,
      data: { receiverId, source, reason: i.reason, ...(i.deliveryId ? { deliveryId: i.deliveryId } : {}) },
      metadata: { actor },
    }));
    await this.store.append(streams.receiver(receiverId), events, { expectedVersion: 'ANY' });
  }
}
