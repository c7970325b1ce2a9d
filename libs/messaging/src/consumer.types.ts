import type { EventsStreamLimits } from '@hangar/contracts';
import type { EventStore, Tx } from '@hangar/event-store';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { FeedEvent } from './feed-event';

/** What a handler tells the consumer to do with the message. */
export type HandlerOutcome =
  | { kind: 'ack' }
  /** Redeliver after `afterMs`; counts towards `maxDeliver`. */
  | { kind: 'retry'; afterMs: number; reason?: string }
  /** Never redeliver: recorded in `poison_messages` and terminated. */
  | { kind: 'reject'; reason: string };

export interface ConsumerContext {
  /**
   * Runs fn in a transaction that also records this message as processed (exactly-once effect on the
   * store). Call it at most once per delivery. If a concurrent delivery of the same event already
   * committed, `fn` is not run at all.
   */
  commit(fn: (tx: Tx) => Promise<void>): Promise<void>;
  /** Tells JetStream the handler is still working (extends ack wait). Called automatically every ackWait/2. */
  working(): void;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

export type EventHandler = (event: FeedEvent, ctx: ConsumerContext) => Promise<HandlerOutcome>;

export interface DurableConsumerOptions {
  nc: NatsConnection;
  /** The store whose transactions `ctx.commit` uses. */
  store: EventStore;
  /** The store's pool, for the processed and poison tables. */
  pool: Pool;
  ns: string;
  service: string;
  /** One durable per (service, purpose): `durableName(ns, service, purpose)`. */
  purpose: string;
  /** A single subject filter (NATS 2.9), e.g. `eventTypeSubject(ns, 'ReleaseStarted')` or `eventsSubjectWildcard(ns)`. */
  filterSubject: string;
  handler: EventHandler;
  /** Handlers running at once (default 16). */
  concurrency?: number;
  /** JetStream ack wait (default 30 000 ms). */
  ackWaitMs?: number;
  /** Deliveries before a failing message is recorded as poison and terminated (default 20). */
  maxDeliver?: number;
  /** Retention of `<NS>_EVENTS`, applied when the consumer creates or finds it (default: none). */
  eventsStream?: EventsStreamLimits;
}

export const handlerOutcomes = {
  ack: (): HandlerOutcome => ({ kind: 'ack' }),
  retry: (afterMs: number, reason?: string): HandlerOutcome => ({ kind: 'retry', afterMs, reason }),
  reject: (reason: string): HandlerOutcome => ({ kind: 'reject', reason }),
} as const;
