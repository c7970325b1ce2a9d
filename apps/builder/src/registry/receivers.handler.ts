import { randomBytes } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { ulid } from 'ulid';
import { commandPattern, HangarError, RegistryEventTypes, streams, type ReceiverView, type RegistrySource } from '@hangar/contracts';
import { EVENT_STORE, PG_POOL, retryOnConflict, type EventStore } from '@hangar/event-store';
import { AddReceiverDto, ReceiverIdDto } from './dto/registry.dto';
import { foldReceivers, type RecordedEvent } from './domain/triggers';

export const RegistryErrorCodes = {
  RECEIVER_NOT_FOUND: 'REGISTRY.RECEIVER_NOT_FOUND',
  TRIGGER_NOT_FOUND: 'REGISTRY.TRIGGER_NOT_FOUND',
} as const;

/**
 * Registry webhook receivers (issue 6): `receivers` records who added which receiver for which
 * source; the secret lives only in `registry_receiver_secrets` and leaves builder only to the
 * gateway (`receiver-credentials`, admin), and once to whoever added a receiver without one.
 */
@Controller()
export class ReceiversHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @MessagePattern(commandPattern('builder', 'add-receiver'))
  async add(@Payload() dto: AddReceiverDto): Promise<{ receiver: ReceiverView; secret?: string }> {
    const receiverId = ulid();
    const secret = dto.secret ?? randomBytes(32).toString('base64url');
    const actor = dto.actor ?? 'anonymous';
    await this.store.transaction(async (tx) => {
      await tx.query('INSERT INTO registry_receiver_secrets (receiver_id, secret) VALUES ($1, $2)', [receiverId, secret]);
      await this.store.append(streams.receivers(), [{ type: RegistryEventTypes.ReceiverAdded, data: { receiverId, source: dto.source }, metadata: { actor } }], { expectedVersion: 'ANY', tx });
    });
    const receiver: ReceiverView = { id: receiverId, source: dto.source, createdAt: new Date().toISOString(), createdBy: actor };
    return { receiver, ...(dto.secret === undefined ? { secret } : {}) };
  }

  @MessagePattern(commandPattern('builder', 'list-receivers'))
  async list(): Promise<{ receivers: ReceiverView[] }> {
    const receivers = foldReceivers(await this.readReceivers());
    return { receivers: [...receivers.values()].map((r) => ({ id: r.receiverId, source: r.source, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy })) };
  }

  @MessagePattern(commandPattern('builder', 'remove-receiver'))
  async remove(@Payload() dto: ReceiverIdDto): Promise<{ receiver: { id: string } }> {
    await retryOnConflict(() =>
      this.store.transaction(async (tx) => {
        const events = await this.store.readStream(streams.receivers(), { tx });
        if (!foldReceivers(events.map(recorded)).has(dto.receiverId)) throw notFound(dto.receiverId);
        await tx.query('DELETE FROM registry_receiver_secrets WHERE receiver_id = $1', [dto.receiverId]);
        await this.store.append(streams.receivers(), [{ type: RegistryEventTypes.ReceiverRemoved, data: { receiverId: dto.receiverId }, metadata: { actor: dto.actor ?? 'anonymous' } }], { expectedVersion: events.length, tx });
      }),
    );
    return { receiver: { id: dto.receiverId } };
  }

  /** For the gateway only (admin): what it checks a delivery's authenticity with. */
  @MessagePattern(commandPattern('builder', 'receiver-credentials'))
  async credentials(@Payload() dto: ReceiverIdDto): Promise<{ receiver: { id: string; source: RegistrySource; secret: string } }> {
    const receiver = foldReceivers(await this.readReceivers()).get(dto.receiverId);
    const { rows } = await this.pool.query<{ secret: string }>('SELECT secret FROM registry_receiver_secrets WHERE receiver_id = $1', [dto.receiverId]);
    if (!receiver || !rows[0]) throw notFound(dto.receiverId);
    return { receiver: { id: receiver.receiverId, source: receiver.source, secret: rows[0].secret } };
  }

  private async readReceivers(): Promise<RecordedEvent[]> {
    return (await this.store.readStream(streams.receivers())).map(recorded);
  }
}

/** A stored event as the registry folds read it. */
export function recorded(e: { eventId: string; type: string; data: unknown; recordedAt: Date; metadata: { actor?: string } }): RecordedEvent {
  return { eventId: e.eventId, type: e.type, data: e.data, recordedAt: e.recordedAt, ...(e.metadata.actor ? { actor: e.metadata.actor } : {}) };
}

function notFound(receiverId: string): HangarError {
  return new HangarError(RegistryErrorCodes.RECEIVER_NOT_FOUND, `receiver ${receiverId} not found`, { receiverId });
}
