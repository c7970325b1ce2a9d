import { Logger } from '@nestjs/common';
import { durableName, eventsStreamName, HangarError } from '@hangar/contracts';
import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg } from 'nats';
import type { Tx } from '@hangar/event-store';
import type { ConsumerContext, DurableConsumerOptions, HandlerOutcome } from './consumer.types';
import { ensureEventsStream, isNotFound } from './events-stream';
import { feedMessageEventId, feedSubject, isUuid, toFeedEvent, type FeedEvent } from './feed-event';
import { loadSql } from './sql-files';

const SQL = {
  isProcessed: loadSql('is-processed'),
  markProcessed: loadSql('mark-processed'),
  recordPoison: loadSql('record-poison'),
  recordFeedRejection: loadSql('record-feed-rejection'),
};

/** Why a feed message was refused: it names no event, names one the store does not hold, or came on another event's subject. */
export type FeedRejectionKind = 'malformed' | 'not-in-store' | 'wrong-subject';
const RESTART_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * A JetStream durable pull consumer with explicit acks (DESIGN §4 "Durable consumers"). Each event is
 * handled at most once per consumer in effect: a processed row, written in the handler's own
 * transaction through `ctx.commit` or after an `ack`, makes redeliveries no-ops. Failing messages are
 * retried with backoff and end up in `poison_messages` instead of looping.
 */
export class DurableConsumer {
  readonly name: string;
  private readonly logger: Logger;
  private readonly concurrency: number;
  private readonly ackWaitMs: number;
  private readonly maxDeliver: number;
  private readonly inFlight = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private handledMessages = 0;

  constructor(private readonly options: DurableConsumerOptions) {
    this.name = durableName(options.ns, options.service, options.purpose);
    this.logger = new Logger(`DurableConsumer ${this.name}`);
    this.concurrency = options.concurrency ?? 16;
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.maxDeliver = options.maxDeliver ?? 20;
  }

  /** Creates or updates the durable consumer, then consumes in the background. */
  async start(): Promise<void> {
    await this.ensureConsumer();
    this.stopping = false;
    this.loop = this.consumeLoop();
  }

  /** Stops pulling and waits for the handlers in flight to finish and ack. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    this.slotFreed?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** For `/metrics`: messages being handled now, and messages taken from the feed since start. */
  get stats(): { inFlight: number; handled: number } {
    return { inFlight: this.inFlight.size, handled: this.handledMessages };
  }

  /** For `/metrics`: messages of the feed this consumer has not acked yet (pending plus unacked), its lag. */
  async lag(): Promise<number> {
    const jsm = await this.options.nc.jetstreamManager();
    const info = await jsm.consumers.info(eventsStreamName(this.options.ns), this.name);
    return info.num_pending + info.num_ack_pending;
  }

  private async ensureConsumer(): Promise<void> {
    const jsm = await this.options.nc.jetstreamManager();
    await ensureEventsStream(jsm, this.options.ns, this.options.eventsStream ? { limits: this.options.eventsStream } : {});
    const stream = eventsStreamName(this.options.ns);
    const config = {
      durable_name: this.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.options.filterSubject,
      ack_wait: nanos(this.ackWaitMs),
      // One delivery more than maxDeliver, so the consumer itself sees the message that ran out of
      // tries (e.g. its handler crashed the process every time) and records it as poison.
      max_deliver: this.maxDeliver + 1,
      max_ack_pending: Math.max(1000, this.concurrency * 4),
    };
    try {
      await jsm.consumers.info(stream, this.name);
      await jsm.consumers.update(stream, this.name, { ack_wait: config.ack_wait, max_deliver: config.max_deliver, max_ack_pending: config.max_ack_pending });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.consumers.add(stream, config);
    }
  }

  private async consumeLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        const consumer = await this.options.nc.jetstream().consumers.get(eventsStreamName(this.options.ns), this.name);
        this.messages = await consumer.consume({ max_messages: this.concurrency });
        for await (const msg of this.messages) {
          await this.freeSlot();
          const work = this.process(msg).finally(() => {
            this.inFlight.delete(work);
            this.slotFreed?.();
          });
          this.inFlight.add(work);
        }
      } catch (err) {
        if (this.stopping) break;
        this.logger.warn(`consume failed: ${(err as Error).message}; restarting`);
      }
      if (!this.stopping) {
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
        await this.ensureConsumer().catch((err: Error) => this.logger.warn(`cannot ensure consumer: ${err.message}`));
      }
    }
  }

  private async freeSlot(): Promise<void> {
    while (this.inFlight.size >= this.concurrency) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    this.handledMessages += 1;
    const deliveryCount = msg.info.deliveryCount;
    try {
      const event = await this.storedEventOf(msg);
      if (!event) return;
      if (deliveryCount > this.maxDeliver) return await this.poison(msg, event.eventId, `not handled after ${this.maxDeliver} deliveries`);
      await this.handle(msg, event, deliveryCount);
    } catch (err) {
      // Bookkeeping failed (database away): leave it to a later delivery.
      this.logger.warn(`message ${msg.seq}: ${(err as Error).message}`);
      msg.nak(backoff(deliveryCount));
    }
  }

  /**
   * The stored event a message names, which is what the handler gets: the message's own body is
   * never trusted (DESIGN §4 "Trust"). A message that names no stored event, or one the relay would
   * not have published on this subject, is refused and counted; an event already processed is acked.
   * Undefined when the message was dealt with here.
   */
  private async storedEventOf(msg: JsMsg): Promise<FeedEvent | undefined> {
    let eventId: string;
    try {
      eventId = feedMessageEventId(msg.data);
    } catch (err) {
      await this.refuse(msg, 'malformed', undefined, (err as Error).message);
      return undefined;
    }
    if ((await this.options.pool.query(SQL.isProcessed, [this.name, eventId])).rowCount) {
      msg.ack();
      return undefined;
    }
    const stored = await this.options.store.readEvent(eventId);
    if (!stored) {
      await this.refuse(msg, 'not-in-store', eventId, `event ${eventId} is not in the store`);
      return undefined;
    }
    const subject = feedSubject(this.options.ns, stored);
    if (subject !== msg.subject) {
      await this.refuse(msg, 'wrong-subject', eventId, `event ${eventId} belongs on ${subject}`);
      return undefined;
    }
    return toFeedEvent(stored);
  }

  /** Terminates a message that is not a notification of a stored event, counting it per kind (never storing its payload). */
  private async refuse(msg: JsMsg, kind: FeedRejectionKind, eventId: string | undefined, reason: string): Promise<void> {
    await this.options.pool.query(SQL.recordFeedRejection, [this.name, kind, msg.subject, eventId ?? null]);
    this.logger.warn(`refused feed message ${msg.seq} on ${msg.subject} (${kind}): ${reason}`);
    msg.term();
  }

  private async handle(msg: JsMsg, event: FeedEvent, deliveryCount: number): Promise<void> {
    let committed = false;
    const ctx: ConsumerContext = {
      deliveryCount,
      working: () => msg.working(),
      commit: async (fn) => {
        if (committed) throw new HangarError('MESSAGING.COMMIT_TWICE', 'ctx.commit may be called once per delivery');
        committed = true;
        await this.options.store.transaction(async (tx: Tx) => {
          const inserted = await tx.query(SQL.markProcessed, [this.name, event.eventId]);
          if (inserted.length > 0) await fn(tx);
        });
      },
    };
    const keepAlive = setInterval(() => msg.working(), Math.max(100, Math.floor(this.ackWaitMs / 2)));
    let outcome: HandlerOutcome | { kind: 'error'; error: unknown };
    try {
      outcome = await this.options.handler(event, ctx);
    } catch (error) {
      outcome = { kind: 'error', error };
    } finally {
      clearInterval(keepAlive);
    }
    switch (outcome.kind) {
      case 'ack':
        if (!committed) await this.options.pool.query(SQL.markProcessed, [this.name, event.eventId]);
        return msg.ack();
      case 'retry':
        return msg.nak(Math.max(0, outcome.afterMs));
      case 'reject':
        return this.poison(msg, event.eventId, outcome.reason);
      case 'error': {
        const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        if (deliveryCount >= this.maxDeliver) return this.poison(msg, event.eventId, `failed ${deliveryCount} times, last: ${reason}`);
        this.logger.warn(`${event.type} ${event.eventId} failed (delivery ${deliveryCount}): ${reason}`);
        return msg.nak(backoff(deliveryCount));
      }
      default: {
        const unknown: never = outcome;
        throw new Error(`unknown handler outcome ${JSON.stringify(unknown)}`);
      }
    }
  }

  private async poison(msg: JsMsg, eventId: string | undefined, reason: string): Promise<void> {
    const id = isUuid(eventId) ? eventId : headerMsgId(msg);
    await this.options.pool.query(SQL.recordPoison, [
      this.name,
      id ?? null,
      msg.subject,
      msg.seq,
      msg.info.deliveryCount,
      reason,
      // Postgres text cannot hold NUL characters; the payload is kept for a human to look at.
      new TextDecoder().decode(msg.data).replace(/\u0000/g, ''),
    ]);
    this.logger.warn(`poison message ${msg.seq} (${id ?? 'no event id'}): ${reason}`);
    msg.term();
  }
}

/** Exponential backoff for a failed delivery: 250 ms, 500 ms, … capped at 30 s. */
function backoff(deliveryCount: number): number {
  return Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.max(0, deliveryCount - 1));
}

function headerMsgId(msg: JsMsg): string | undefined {
  const id = msg.headers?.get('Nats-Msg-Id');
  return isUuid(id) ? id : undefined;
}
