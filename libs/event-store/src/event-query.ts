import { HangarError } from '@hangar/contracts';
import type { StoredEvent } from './event-store.types';
import { toStoredEvent, type EventRow } from './postgres-event-store';
import { loadSql } from './sql-files';

const SQL = { query: loadSql('query-events'), transactionOf: loadSql('event-transaction') };

/** Largest page `queryEvents` returns. */
export const MAX_EVENT_QUERY_LIMIT = 1000;
/** Page size when none is given. */
export const DEFAULT_EVENT_QUERY_LIMIT = 100;

/** Anything that runs a parameterised query: a `pg.Pool`, a `PoolClient` or a `Client`. */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Filters of an audit query; every given one must match (AND). */
export interface EventQuery {
  /** `data.app`. */
  app?: string;
  /** Any of these event types. */
  types?: readonly string[];
  /** `metadata.actor`. */
  actor?: string;
  /** `data.releaseId`. */
  releaseId?: string;
  /** `data.machineId`, or an event of the stream `machine-<id>`. */
  machineId?: string;
  /** `recorded_at >= since`. */
  since?: Date;
  /** `recorded_at <= until`, to the millisecond (an event's own `recordedAt` includes it). */
  until?: Date;
  /** Cursor: the global position of the last event already seen (the previous page's `next`); 0 or absent from the start. */
  after?: number;
  /** Page size, 1–1000 (default 100). */
  limit?: number;
}

export interface EventPage {
  /** In the store's global order `(transactionId, globalPosition)`, the order of `readAll` and the event feed. */
  events: StoredEvent[];
  /** The cursor for the next page when this one is full; `null` when no more matches are committed yet. */
  next: number | null;
}

/**
 * One page of events matching `query` (DESIGN §7.2 `GET /v1/audit`; SQL in sql/query-events.sql).
 * Pages only below the snapshot xmin, so following `next` returns each match exactly once, in
 * order, even while other transactions append. An `after` that names no stored event is
 * `AUDIT.INVALID_CURSOR`.
 */
export async function queryEvents(db: SqlQueryable, query: EventQuery): Promise<EventPage> {
  const limit = query.limit ?? DEFAULT_EVENT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENT_QUERY_LIMIT) {
    throw new HangarError('REQUEST.INVALID', `limit must be an integer from 1 to ${MAX_EVENT_QUERY_LIMIT}; got ${limit}`, [{ path: 'limit', message: 'out of range' }]);
  }
  const after = query.after ?? 0;
  const cursorTx = after > 0 ? await transactionOf(db, after) : '0';
  const { rows } = await db.query<EventRow>(SQL.query, [
    cursorTx,
    after,
    query.app ?? null,
    query.types && query.types.length > 0 ? [...query.types] : null,
    query.actor ?? null,
    query.releaseId ?? null,
    query.machineId ?? null,
    query.since ?? null,
    query.until ?? null,
    limit,
  ]);
  const events = rows.map(toStoredEvent);
  return { events, next: events.length === limit ? events[events.length - 1]!.globalPosition : null };
}

async function transactionOf(db: SqlQueryable, globalPosition: number): Promise<string> {
  if (!Number.isSafeInteger(globalPosition) || globalPosition < 0) {
    throw new HangarError('AUDIT.INVALID_CURSOR', `after must be a global position (a non-negative integer); got ${globalPosition}`);
  }
  const { rows } = await db.query<{ transaction_id: string }>(SQL.transactionOf, [globalPosition]);
  if (rows.length === 0) throw new HangarError('AUDIT.INVALID_CURSOR', `after=${globalPosition} is not the position of a stored event`, { after: globalPosition });
  return rows[0]!.transaction_id;
}
