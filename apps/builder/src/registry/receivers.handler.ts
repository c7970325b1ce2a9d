import { Controller, Inject, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ulid } from 'ulid';
import { commandPattern, ErrorCodes, HangarError, receiverBindingOf, receiverHost, RegistryEventTypes, streams, type ReceiverAddedData, type ReceiverBinding, type ReceiverView } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { AddReceiverDto, ReceiverIdDto } from './dto/registry.dto';
import { foldReceivers, recorded, type ReceiverDefinition, type RecordedEvent } from './domain/triggers';
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

  /**
   * The registry host (and repository prefix) it may report pushes for is checked first (review H4),
   * then the secret is stored: a receiver recorded without one could never authenticate a delivery.
   */
  @MessagePattern(commandPattern('builder', 'add-receiver'))
  async add(@Payload() dto: AddReceiverDto): Promise<{ receiver: ReceiverView }> {
    const bound = receiverBindingOf(dto.source, dto.host, dto.repositoryPrefix);
    if ('problem' in bound) throw new HangarError(ErrorCodes.VALIDATION, bound.problem, [{ path: bound.path, message: bound.problem }]);
    const receiverId = ulid();
    const actor = dto.actor ?? 'anonymous';
    await this.commands.request('secrets', 'store-receiver-secret', { receiverId, sealedSecret: dto.sealedSecret }, { timeoutMs: 15_000 });
    const data: ReceiverAddedData = { receiverId, source: dto.source, ...bound.binding };
    await this.store.append(streams.receivers(), [{ type: RegistryEventTypes.ReceiverAdded, data: { ...data }, metadata: { actor } }], { expectedVersion: 'ANY' });
    return { receiver: { id: receiverId, source: dto.source, ...bound.binding, createdAt: new Date().toISOString(), createdBy: actor } };
  }

  @MessagePattern(commandPattern('builder', 'list-receivers'))
  async list(): Promise<{ receivers: ReceiverView[] }> {
    const receivers = foldReceivers(await this.readReceivers());
    return { receivers: [...receivers.values()].map((r) => ({ id: r.receiverId, ...bindingOf(r), createdAt: r.createdAt.toISOString(), createdBy: r.createdBy })) };
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

  /** For the gateway (admin): which dialect a live receiver speaks, and which pushes it may report. */
  @MessagePattern(commandPattern('builder', 'get-receiver'))
  async get(@Payload() dto: ReceiverIdDto): Promise<{ receiver: { id: string } & Omit<ReceiverBinding, 'receiverId'> }> {
    const receiver = foldReceivers(await this.readReceivers()).get(dto.receiverId);
    if (!receiver) throw notFound(dto.receiverId);
    return { receiver: { id: receiver.receiverId, ...bindingOf(receiver) } };
  }

  private async readReceivers(): Promise<RecordedEvent[]> {
    return (await this.store.readStream(streams.receivers())).map(recorded);
  }
}

/** Source, host (a fixed-host source's own when none was recorded) and prefix. */
function bindingOf(r: ReceiverDefinition): Omit<ReceiverBinding, 'receiverId'> {
  const host = receiverHost(r);
  return { source: r.source, ...(host !== undefined ? { host } : {}), ...(r.repositoryPrefix !== undefined ? { repositoryPrefix: r.repositoryPrefix } : {}) };
}

function notFound(receiverId: string): HangarError {
  return new HangarError(RegistryErrorCodes.RECEIVER_NOT_FOUND, `receiver ${receiverId} not found`, { receiverId });
}
