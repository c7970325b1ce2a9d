import { Controller, Inject, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ulid } from 'ulid';
import { commandPattern, HangarError, RegistryEventTypes, streams, type ReceiverView, type RegistrySource } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { AddReceiverDto, ReceiverIdDto } from './dto/registry.dto';
import { foldReceivers, recorded, type RecordedEvent } from './domain/triggers';
import { RegistryErrorCodes } from './registry-errors';

/**
 * Registry webhook receivers (issue 6): `receivers` records who added which receiver for which
 * source. The secret never passes through builder in the clear: it arrives sealed to the secrets
 * service, which keeps it encrypted and hands it, sealed again, only to the gateway.
 */
@Controller()
export class ReceiversHandler {
  private readonly logger = new Logger(ReceiversHandler.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
  ) {}

  /** The secret first: a receiver recorded without one could never authenticate a delivery. */
  @MessagePattern(commandPattern('builder', 'add-receiver'))
  async add(@Payload() dto: AddReceiverDto): Promise<{ receiver: ReceiverView }> {
    const receiverId = ulid();
    const actor = dto.actor ?? 'anonymous';
    await this.commands.request('secrets', 'store-receiver-secret', { receiverId, sealedSecret: dto.sealedSecret }, { timeoutMs: 15_000 });
    await this.store.append(streams.receivers(), [{ type: RegistryEventTypes.ReceiverAdded, data: { receiverId, source: dto.source }, metadata: { actor } }], { expectedVersion: 'ANY' });
    return { receiver: { id: receiverId, source: dto.source, createdAt: new Date().toISOString(), createdBy: actor } };
  }

  @MessagePattern(commandPattern('builder', 'list-receivers'))
  async list(): Promise<{ receivers: ReceiverView[] }> {
    const receivers = foldReceivers(await this.readReceivers());
    return { receivers: [...receivers.values()].map((r) => ({ id: r.receiverId, source: r.source, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy })) };
  }

  /** Removed first (its URL answers 404 at once), then its secret is deleted. */
  @MessagePattern(commandPattern('builder', 'remove-receiver'))
  async remove(@Payload() dto: ReceiverIdDto): Promise<{ receiver: { id: string } }> {
    await retryOnConflict(async () => {
      const events = await this.store.readStream(streams.receivers());
      if (!foldReceivers(events.map(recorded)).has(dto.receiverId)) throw notFound(dto.receiverId);
      await this.store.append(streams.receivers(), [{ type: RegistryEventTypes.ReceiverRemoved, data: { receiverId: dto.receiverId }, metadata: { actor: dto.actor ?? 'anonymous' } }], { expectedVersion: events.length });
    });
    try {
      await this.commands.request('secrets', 'delete-receiver-secret', { receiverId: dto.receiverId });
    } catch (error) {
      // The receiver is gone, so its secret authenticates nothing; deleting it is tidiness.
      this.logger.warn(`receiver ${dto.receiverId} removed, but its secret could not be deleted yet: ${(error as Error).message}`);
    }
    return { receiver: { id: dto.receiverId } };
  }

  /** For the gateway (admin): which dialect a live receiver speaks. */
  @MessagePattern(commandPattern('builder', 'get-receiver'))
  async get(@Payload() dto: ReceiverIdDto): Promise<{ receiver: { id: string; source: RegistrySource } }> {
    const receiver = foldReceivers(await this.readReceivers()).get(dto.receiverId);
    if (!receiver) throw notFound(dto.receiverId);
    return { receiver: { id: receiver.receiverId, source: receiver.source } };
  }

  private async readReceivers(): Promise<RecordedEvent[]> {
    return (await this.store.readStream(streams.receivers())).map(recorded);
  }
}

function notFound(receiverId: string): HangarError {
  return new HangarError(RegistryErrorCodes.RECEIVER_NOT_FOUND, `receiver ${receiverId} not found`, { receiverId });
}
