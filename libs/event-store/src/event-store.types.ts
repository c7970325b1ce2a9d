/** Public types of the event store (DESIGN §3, §8a). */

export type ExpectedVersion = number | 'NO_STREAM' | 'STREAM_EXISTS' | 'ANY';

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** Who caused it: a token name, a registry receiver, or `system`. */
  actor?: string;
  schemaVersion?: number;
}

export interface NewEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
  metadata?: EventMetadata;
  /** A uuid; generated when absent. Supplying one makes a retried append recognisable. */
  eventId?: string;
}

export interface StoredEvent<T extends string = string, D = Record<string, unknown>> {
  globalPosition: number;
  /** `xid8` as a decimal string. */
  transactionId: string;
  streamId: string;
  /** 1-based. */
  streamPosition: number;
  eventId: string;
  type: T;
  data: D;
  metadata: EventMetadata;
  recordedAt: Date;
  hash: string;
}

export interface AppendResult {
  /** The stream's position after the append (= the expected version for the next append). */
  nextExpectedVersion: number;
  lastGlobalPosition: number;
}

/** A position in the global order: events are ordered by (transactionId, globalPosition). */
export interface GlobalCheckpoint {
  transactionId: string;
  globalPosition: number;
}

export const START_CHECKPOINT: GlobalCheckpoint = { transactionId: '0', globalPosition: 0 };

/** An open database transaction; pass it to append/readStream to make them part of it. */
export interface Tx {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], opts: { expectedVersion: ExpectedVersion; tx?: Tx }): Promise<AppendResult>;
  readStream(streamId: string, opts?: { from?: number; tx?: Tx }): Promise<StoredEvent[]>;
  /** The committed event with this id (a uuid), or undefined when the store has none. */
  readEvent(eventId: string, tx?: Tx): Promise<StoredEvent | undefined>;
  /** Events after `after` in (transactionId, globalPosition) order, only from transactions older than the snapshot xmin. */
  readAll(after: GlobalCheckpoint, limit: number): Promise<StoredEvent[]>;
  /** Current position of a stream; 0 when it does not exist. */
  streamVersion(streamId: string, tx?: Tx): Promise<number>;
  /** Ids of the streams whose id starts with `prefix`, sorted. */
  listStreams(prefix: string): Promise<string[]>;
  /** Runs `fn` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` soon after any append commits (Postgres NOTIFY), and once after each (re)connect
   * of the listening connection. A wake-up hint only: readers still read from their checkpoint.
   * Returns the unsubscribe function.
   */
  onAppended?(listener: () => void): () => void;
}
