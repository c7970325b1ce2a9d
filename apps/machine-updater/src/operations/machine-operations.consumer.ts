import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, streams, type MachineUpdateRequestedData } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { MachineOperationExecutor } from './machine-operation.executor';
import { parseOperationRequest } from './domain/operation-request';

/**
 * Consumes `MachineUpdateRequested` and carries each one out; the outcome is appended to the
 * machine's stream in the same transaction that marks the message processed.
 */
@Injectable()
export class MachineOperationsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MachineOperationsConsumer.name);
  private consumer?: DurableConsumer;

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: MachineOperationExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start({
      purpose: 'machine-operations',
      eventType: EventTypes.MachineUpdateRequested,
      concurrency: 64,
      handler: (event, ctx) => this.handle(event, ctx),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(event: FeedEvent, ctx: ConsumerContext): Promise<HandlerOutcome> {
    const parsed = parseOperationRequest(event.data);
    if (!parsed.ok) return { kind: 'reject', reason: parsed.reason };
    const req: MachineUpdateRequestedData = parsed.request;
    const metadata = { correlationId: req.releaseId, causationId: event.eventId, actor: 'system' };
    const result = await this.executor.execute(req, {
      beforeMutation: async ({ machineId, nonce }) => {
        ctx.working();
        await this.store.append(
          streams.machine(machineId),
          [{ type: EventTypes.MachineUpdateStarted, data: { app: req.app, key: req.key, kind: req.kind, releaseId: req.releaseId, ...(nonce ? { leaseNonce: nonce } : {}) }, metadata }],
          { expectedVersion: 'ANY' },
        );
      },
    });
    const outcome = result.ok
      ? { type: EventTypes.MachineUpdated, data: { app: req.app, key: req.key, kind: req.kind, machineId: result.machineId, releaseId: req.releaseId, ...(result.instanceId ? { instanceId: result.instanceId } : {}), ...(result.state ? { state: result.state } : {}) } }
      : { type: EventTypes.MachineUpdateFailed, data: { app: req.app, key: req.key, kind: req.kind, releaseId: req.releaseId, reason: result.reason, ...(result.machineId ? { machineId: result.machineId } : {}) } };
    if (!result.ok) this.logger.warn(`operation ${req.key} failed: ${result.reason}`);
    await ctx.commit(async (tx) => {
      await this.store.append(streams.machine(result.machineId ?? req.key), [{ ...outcome, metadata }], { expectedVersion: 'ANY', tx });
    });
    return { kind: 'ack' };
  }
}
