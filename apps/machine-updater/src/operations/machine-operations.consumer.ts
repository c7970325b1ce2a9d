import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes } from '@hangar/contracts';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { parseOperationRequest } from './domain/operation-request';
import { OperationRunner } from './operation.runner';

/**
 * Consumes `MachineUpdateRequested` and has each one carried out; the outcome is appended to the
 * machine's stream in the same transaction that marks the message processed. A delivery of an
 * operation someone else is already carrying out (a redelivery, a reconcile) is acked: they report it.
 */
@Injectable()
export class MachineOperationsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: DurableConsumer;

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly runner: OperationRunner,
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
    const op = { request: parsed.request, requestEventId: event.eventId, requestedAt: new Date(event.recordedAt) };
    const result = await this.runner.run(op, (write) => ctx.commit((tx) => write(tx)));
    if (result.kind === 'retry') return { kind: 'retry', afterMs: result.afterMs, reason: result.reason };
    return { kind: 'ack' };
  }
}
