import { computeEventHash, computeLegacyEventHash, isKeyedHash } from '../event-hash';
import type { StreamHead } from './checkpoint-digest';

/** What `audit verify` found wrong with one stream. */
export type TamperKind =
  /** An event's type, data or metadata no longer match its hash. */
  | 'edited'
  /** An event sits after a different event than when it was written. */
  | 'reordered'
  /** Positions missing in the middle of a stream. */
  | 'missing'
  /** The stream ends before a position it was known to reach. */
  | 'truncated'
  /** A stream known to exist has no events left. */
  | 'stream-deleted'
  /** The chain is consistent but its hash at a checkpointed position is not the checkpointed one. */
  | 'rewritten'
  /** The streams table disagrees with the stream's events. */
  | 'head-mismatch'
  /** An unkeyed (legacy) hash on an event stored after keyed hashing began: re-hashed by someone without the key. */
  | 'downgraded'
  /** The checkpoints themselves do not add up, or an exported checkpoint file was altered. */
  | 'checkpoint-invalid'
  /** A live `api_tokens` row that the `token-<name>` stream does not account for (inserted or altered by SQL). */
  | 'unrecorded-token';

export interface TamperFinding {
  streamId: string;
  /** The first position concerned (1-based). */
  position: number;
  kind: TamperKind;
  message: string;
}

/** The columns of an event the chain check needs. */
export interface ChainRow {
  streamPosition: number;
  globalPosition: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: Date;
  hash: string;
}

/** What every stream is checked with. */
export interface ChainContext {
  /** The audit key keyed (`h2:`) hashes are checked with. */
  key: Buffer;
  /**
   * The global position of the first keyed event in the store: an unkeyed hash on a later event is
   * a downgrade (a writer without the key re-hashed it the old way). Unset: no keyed event yet.
   */
  keyedSince?: number;
}

/** A head committed by a checkpoint (or an exported checkpoint file), with where it came from. */
export type Commitment = StreamHead & { sequence: number; source?: string };

export interface StreamExpectations {
  /** Every head any checkpoint committed to for this stream, in any order. */
  committed?: readonly Commitment[];
  /** The row of the `streams` table. */
  registered?: { position: number; head: string };
}

/** Streams longer than this are checked without telling reordered events from edited ones. */
const CLASSIFY_MAX_EVENTS = 5000;
/** At most this many broken links per stream are classified (each costs a pass over the stream). */
const CLASSIFY_MAX_BREAKS = 20;

/**
 * Checks one stream's events (sorted by position) against its hash chain, its `streams` row and
 * every head the checkpoints committed to (DESIGN G7). Pure; returns every finding, in position
 * order per check.
 */
export function checkStreamChain(streamId: string, rows: readonly ChainRow[], ctx: ChainContext, expect: StreamExpectations = {}): TamperFinding[] {
  const findings = checkLinks(streamId, rows, ctx);
  const found = (kind: TamperKind, position: number, message: string) => findings.push({ streamId, position, kind, message });
  const last = rows[rows.length - 1];
  const { registered } = expect;
  const committed = [...(expect.committed ?? [])].sort((a, b) => a.position - b.position);
  let lengthReported = false;
  const furthest = committed[committed.length - 1];
  if (furthest) {
    const where = `${describe(furthest)} recorded position ${furthest.position}`;
    if (!last) {
      found('stream-deleted', 1, `stream ${streamId} has no events left; ${where}`);
      lengthReported = true;
    } else if (last.streamPosition < furthest.position) {
      found('truncated', last.streamPosition + 1, `stream ${streamId} ends at position ${last.streamPosition}; ${where}`);
      lengthReported = true;
    }
    const byPosition = new Map(rows.map((r) => [r.streamPosition, r]));
    const broken = committed.find((c) => {
      const row = byPosition.get(c.position);
      return row !== undefined && row.hash !== c.head;
    });
    if (broken) {
      const p = broken.position;
      found('rewritten', p, `stream ${streamId}: the hash at position ${p} is not the one ${describe(broken)} committed to (rewritten at or before position ${p})`);
    }
  }
  if (!registered) {
    if (last) found('head-mismatch', 1, `stream ${streamId} has events but no row in the streams table`);
  } else if (!lengthReported) {
    if (!last) found('stream-deleted', 1, `stream ${streamId} has no events left; the streams table records position ${registered.position}`);
    else if (last.streamPosition < registered.position) {
      found('truncated', last.streamPosition + 1, `stream ${streamId} ends at position ${last.streamPosition}; the streams table records position ${registered.position}`);
    } else if (last.streamPosition > registered.position || last.hash !== registered.head) {
      found('head-mismatch', Math.min(last.streamPosition, registered.position + 1), `stream ${streamId} head (position ${last.streamPosition}) differs from the streams table (position ${registered.position})`);
    }
  }
  return findings;
}

function describe(c: Commitment): string {
  return c.source ?? `checkpoint #${c.sequence}`;
}

/** The hash `row` should carry if it sits at `position` right after an event hashed `prevHash`. */
function expectedHash(ctx: ChainContext, streamId: string, row: ChainRow, prevHash: string, position: number): string {
  if (!isKeyedHash(row.hash)) return computeLegacyEventHash(prevHash, row.type, row.data, row.metadata);
  return computeEventHash(ctx.key, prevHash, { ...row, streamId, streamPosition: position });
}

/** Gaps, and links whose hash does not follow from the previous event. */
function checkLinks(streamId: string, rows: readonly ChainRow[], ctx: ChainContext): TamperFinding[] {
  const findings: TamperFinding[] = [];
  let breaks = 0;
  let prev: ChainRow | undefined;
  for (const row of rows) {
    const expected = (prev?.streamPosition ?? 0) + 1;
    if (row.streamPosition > expected) {
      const range = row.streamPosition - 1 === expected ? `position ${expected} is` : `positions ${expected}–${row.streamPosition - 1} are`;
      findings.push({ streamId, position: expected, kind: 'missing', message: `stream ${streamId}: ${range} missing (deleted)` });
    } else if (!isKeyedHash(row.hash) && ctx.keyedSince !== undefined && row.globalPosition > ctx.keyedSince) {
      findings.push({ streamId, position: row.streamPosition, kind: 'downgraded', message: `stream ${streamId}: the event at position ${row.streamPosition} carries an unkeyed hash but was stored after keyed hashing began (re-hashed without the audit key)` });
    } else if (expectedHash(ctx, streamId, row, prev?.hash ?? '', row.streamPosition) !== row.hash) {
      const classify = rows.length <= CLASSIFY_MAX_EVENTS && breaks++ < CLASSIFY_MAX_BREAKS;
      const after = classify ? writtenAfter(ctx, streamId, rows, row, prev) : undefined;
      findings.push(
        after !== undefined
          ? { streamId, position: row.streamPosition, kind: 'reordered', message: `stream ${streamId}: the event at position ${row.streamPosition} was written ${after === 0 ? 'as the first event' : `right after the event now at position ${after}`}` }
          : { streamId, position: row.streamPosition, kind: 'edited', message: `stream ${streamId}: the event at position ${row.streamPosition} does not match its hash (type, data, metadata, event id or recorded_at changed${classify ? '' : ', or events reordered'})` },
      );
    } else if (prev && row.globalPosition < prev.globalPosition) {
      findings.push({ streamId, position: row.streamPosition, kind: 'reordered', message: `stream ${streamId}: the event at position ${row.streamPosition} was recorded before the one at position ${prev.streamPosition}` });
    }
    prev = row;
  }
  return findings;
}

/** The position of the event `row` was chained to when written (0 = none), if that is not `prev`. */
function writtenAfter(ctx: ChainContext, streamId: string, rows: readonly ChainRow[], row: ChainRow, prev: ChainRow | undefined): number | undefined {
  // A keyed hash also covers the position the event was written at, which a move changed, as it
  // may have changed `other`'s: the positions tried cover events moved by one place (a swap).
  const hashWith = (prevHash: string, position: number) => expectedHash(ctx, streamId, row, prevHash, position);
  if (prev && hashWith('', 1) === row.hash) return 0;
  for (const other of rows) {
    if (other === row || other === prev) continue;
    const positions = isKeyedHash(row.hash) ? new Set([other.streamPosition + 1, other.streamPosition, other.streamPosition + 2, row.streamPosition]) : [row.streamPosition];
    for (const position of positions) if (position >= 1 && hashWith(other.hash, position) === row.hash) return other.streamPosition;
  }
  return undefined;
}
