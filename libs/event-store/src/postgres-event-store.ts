import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { HangarError } from '@hangar/contracts';
import { computeEventHash, normalizeJson } from './event-hash';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  GlobalCheckpoint,
  NewEvent,
  StoredEvent,
  Tx,
} from './event-store.types';
import { NOTIFY_CHANNEL_PATTERN, PgNotifyListener } from './pg-notify-listener';
import { loadSql } from './sql-files';
import { StreamVersionConflictError } from './stream-version-conflict.error';

const SQL = {
  lockStream: loadSql('lock-stream'),
  appendEvents: loadSql('append-events'),
  readStream: loadSql('read-stream'),
  readEvent: loadSql('read-event'),
  readAll: loadSql('read-all'),
  streamVersion: loadSql('stream-version'),
  listStreams: loadSql('list-streams'),
  notify: loadSql('notify'),
};

/** The default NOTIFY channel for appends. */
export const DEFAULT_NOTIFY_CHANNEL = 'hangar_events';

export interface PostgresEventStoreOptions {
  /**
   * The audit key (32 bytes, `HANGAR_AUDIT_KEY`): every appended event's hash is an HMAC with it
   * (DESIGN G7). Keep it out of the database, or a database writer can forge the chain.
   */
  auditKey: Buffer;
  /** NOTIFY channel raised after each committed append (default `hangar_events`). Plain identifier. */
  notifyChannel?: string;
}

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: Date;
  hash: string;
}

const UNIQUE_VIOLATION = '23505';

/** The event store on Postgres (DESIGN §3). Tables come from `eventStoreMigrations`. */
export class PostgresEventStore implements EventStore {
  private readonly notifyChannel: string;
  /** Transactions of `transaction()` that appended: they nudge listeners once committed. */
  private readonly appendedIn = new WeakSet<Tx>();
  private notifying = false;
  private notifyAgain = false;
  private listener: PgNotifyListener | undefined;
  private readonly auditKey: Buffer;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions,
  ) {
    if (options.auditKey.length < 32) throw new RangeError('the audit key must be at least 32 bytes');
    this.auditKey = options.auditKey;
    this.notifyChannel = options.notifyChannel ?? DEFAULT_NOTIFY_CHANNEL;
    if (!NOTIFY_CHANNEL_PATTERN.test(this.notifyChannel)) throw new Error(`invalid notify channel name: ${this.notifyChannel}`);
  }

  async append(streamId: string, events: NewEvent[], opts: { expectedVersion: ExpectedVersion; tx?: Tx }): Promise<AppendResult> {
    assertExpectedVersion(opts.expectedVersion);
    try {
      if (opts.tx) return await this.appendIn(opts.tx, streamId, events, opts.expectedVersion);
      return await this.transaction((tx) => this.appendIn(tx, streamId, events, opts.expectedVersion));
    } catch (err) {
      if (uniqueConstraint(err) === 'events_event_id_key') {
        throw new HangarError('EVENTSTORE.DUPLICATE_EVENT_ID', `stream ${streamId}: an event with one of these event ids is already stored`, undefined, { cause: err });
      }
      if (uniqueConstraint(err) !== 'events_stream_position_key') throw err;
      // The row lock makes this unreachable in practice; should it happen, it is still only a conflict.
      const actual = opts.tx ? undefined : await this.streamVersion(streamId);
      throw new StreamVersionConflictError(streamId, opts.expectedVersion, actual, { cause: err });
    }
  }

  async readStream(streamId: string, opts: { from?: number; tx?: Tx } = {}): Promise<StoredEvent[]> {
    const rows = await this.query<EventRow>(opts.tx, SQL.readStream, [streamId, opts.from ?? 1]);
    return rows.map(toStoredEvent);
  }

  async readEvent(eventId: string, tx?: Tx): Promise<StoredEvent | undefined> {
    const rows = await this.query<EventRow>(tx, SQL.readEvent, [eventId]);
    return rows.length === 0 ? undefined : toStoredEvent(rows[0]);
  }

  async readAll(after: GlobalCheckpoint, limit: number): Promise<StoredEvent[]> {
    const rows = await this.query<EventRow>(undefined, SQL.readAll, [after.transactionId, after.globalPosition, limit]);
    return rows.map(toStoredEvent);
  }

  async streamVersion(streamId: string, tx?: Tx): Promise<number> {
    const rows = await this.query<{ position: string }>(tx, SQL.streamVersion, [streamId]);
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  async listStreams(prefix: string): Promise<string[]> {
    const rows = await this.query<{ stream_id: string }>(undefined, SQL.listStreams, [prefix.replace(/[\\%_]/g, (c) => `\\${c}`)]);
    return rows.map((r) => r.stream_id);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // pg-pool listens for errors only on idle clients: a connection dying while checked out (Postgres
    // restarting) would be an unhandled 'error' that kills the process. It fails this transaction instead.
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const tx = wrapClient(client);
      const result = await fn(tx);
      const commit = await client.query('COMMIT');
      // COMMIT of a transaction that already failed answers ROLLBACK instead of raising.
      if (commit.command === 'ROLLBACK') throw new Error('transaction was rolled back: a statement inside it failed');
      if (this.appendedIn.delete(tx)) this.nudge();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    } finally {
      // A broken client keeps the listener: it may still report errors after the pool drops it.
      if (!broken) client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * Tells listeners (the relay) that events were committed: one `NOTIFY` at a time per store, outside
   * any transaction, so commits never queue on Postgres's notify lock. Commits made while one is in
   * flight are covered by one more after it: every commit is followed by a NOTIFY sent after it. A lost
   * one only costs the listener its poll interval.
   */
  private nudge(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    void (async () => {
      try {
        do {
          this.notifyAgain = false;
          await this.pool.query(SQL.notify, [this.notifyChannel]);
        } while (this.notifyAgain);
      } catch {
        // The pool is closing or Postgres is away: listeners poll anyway.
      } finally {
        this.notifying = false;
      }
    })();
  }

  onAppended(listener: () => void): () => void {
    this.listener ??= new PgNotifyListener(this.pool.options, this.notifyChannel);
    return this.listener.subscribe(listener);
  }

  /** Ends the LISTEN connection, if any. The pool belongs to the caller. */
  close(): void {
    this.listener?.close();
    this.listener = undefined;
  }

  private async appendIn(tx: Tx, streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    const [stream] = await tx.query<{ position: string; head_hash: string; now: Date }>(SQL.lockStream, [streamId]);
    const position = Number(stream.position);
    if (!matches(expected, position)) throw new StreamVersionConflictError(streamId, expected, position);
    if (events.length === 0) return { nextExpectedVersion: position, lastGlobalPosition: 0 };

    let head = stream.head_hash;
    const recordedAt = stream.now;
    const rows = events.map((event, i) => {
      const data = normalizeJson(event.data ?? {});
      const metadata = normalizeJson(event.metadata ?? {});
      const hashed = { streamId, streamPosition: position + i + 1, eventId: event.eventId ?? randomUUID(), type: event.type, data, metadata, recordedAt };
      head = computeEventHash(this.auditKey, head, hashed);
      return { stream_position: hashed.streamPosition, event_id: hashed.eventId, type: event.type, data, metadata, recorded_at: recordedAt.toISOString(), hash: head };
    });
    const next = position + events.length;
    const [result] = await tx.query<{ last_global_position: string }>(SQL.appendEvents, [
      streamId,
      JSON.stringify(rows),
      next,
      head,
    ]);
    this.appendedIn.add(tx);
    return { nextExpectedVersion: next, lastGlobalPosition: Number(result.last_global_position) };
  }

  private async query<R>(tx: Tx | undefined, sql: string, params: unknown[]): Promise<R[]> {
    if (tx) return tx.query<R>(sql, params);
    const result = await this.pool.query(sql, params);
    return result.rows as R[];
  }
}

function matches(expected: ExpectedVersion, position: number): boolean {
  switch (expected) {
    case 'ANY':
      return true;
    case 'NO_STREAM':
      return position === 0;
    case 'STREAM_EXISTS':
      return position >= 1;
    default:
      return position === expected;
  }
}

function assertExpectedVersion(expected: ExpectedVersion): void {
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw new RangeError(`expectedVersion must be a non-negative integer, got ${expected}`);
  }
}

function uniqueConstraint(err: unknown): string | undefined {
  const pgErr = err as { code?: string; constraint?: string } | undefined;
  return pgErr?.code === UNIQUE_VIOLATION ? pgErr.constraint : undefined;
}

/** Adapts a checked-out pg client to the `Tx` port. */
export function wrapClient(client: PoolClient): Tx {
  return {
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      const result = await client.query(sql, params);
      return result.rows as R[];
    },
  };
}

/** Maps an `events` row (as the read queries select it) to a `StoredEvent`. */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    globalPosition: Number(row.global_position),
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}
