import { computeEventHash } from '../event-hash';
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
  /** The checkpoints themselves do not add up. */
  | 'checkpoint-invalid';

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
  type: string;
  data: unknown;
  metadata: unknown;
  hash: string;
}

export interface StreamExpectations {
  /** The head the latest checkpoint committed to, with that checkpoint's sequence. */
  committed?: StreamHead & { sequence: number };
  /** The row of the `streams` table. */
  registered?: { position: number; head: string };
}

/** Streams longer than this are checked without telling reordered events from edited ones. */
const CLASSIFY_MAX_EVENTS = 5000;
/** At most this many broken links per stream are classified (each costs a pass over the stream). */
const CLASSIFY_MAX_BREAKS = 20;

/**
 * Checks one stream's events (sorted by position) against its hash chain, its `streams` row and
 * the latest checkpoint (DESIGN G7). Pure; returns every finding, in position order per check.
 */
export function checkStreamChain(streamId: string, rows: readonly ChainRow[], expect: StreamExpectations = {}): TamperFinding[] {
  const findings = checkLinks(streamId, rows);
  const found = (kind: TamperKind, position: number, message: string) => findings.push({ streamId, position, kind, message });
  const last = rows[rows.length - 1];
  const { committed, registered } = expect;
  let lengthReported = false;
  if (committed) {
    const where = `checkpoint #${committed.sequence} recorded position ${committed.position}`;
    if (!last) {
      found('stream-deleted', 1, `stream ${streamId} has no events left; ${where}`);
      lengthReported = true;
    } else if (last.streamPosition < committed.position) {
      found('truncated', last.streamPosition + 1, `stream ${streamId} ends at position ${last.streamPosition}; ${where}`);
      lengthReported = true;
    } else {
      const atCheckpoint = rows.find((r) => r.streamPosition === committed.position);
      if (atCheckpoint && atCheckpoint.hash !== committed.head) {
        const p = committed.position;
        found('rewritten', p, `stream ${streamId}: the hash at position ${p} is not the one checkpoint #${committed.sequence} committed to (rewritten at or before position ${p})`);
      }
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

/** Gaps, and links whose hash does not follow from the previous event. */
function checkLinks(streamId: string, rows: readonly ChainRow[]): TamperFinding[] {
  const findings: TamperFinding[] = [];
  let breaks = 0;
  let prev: ChainRow | undefined;
  for (const row of rows) {
    const expected = (prev?.streamPosition ?? 0) + 1;
    if (row.streamPosition > expected) {
      const range = row.streamPosition - 1 === expected ? `position ${expected} is` : `positions ${expected}–${row.streamPosition - 1} are`;
      findings.push({ streamId, position: expected, kind: 'missing', message: `stream ${streamId}: ${range} missing (deleted)` });
    } else if (computeEventHash(prev?.hash ?? '', row.type, row.data, row.metadata) !== row.hash) {
      const classify = rows.length <= CLASSIFY_MAX_EVENTS && breaks++ < CLASSIFY_MAX_BREAKS;
      const after = classify ? writtenAfter(rows, row, prev) : undefined;
      findings.push(
        after !== undefined
          ? { streamId, position: row.streamPosition, kind: 'reordered', message: `stream ${streamId}: the event at position ${row.streamPosition} was written ${after === 0 ? 'as the first event' : `right after the event now at position ${after}`}` }
          : { streamId, position: row.streamPosition, kind: 'edited', message: `stream ${streamId}: the event at position ${row.streamPosition} does not match its hash (type, data or metadata changed${classify ? '' : ', or events reordered'})` },
      );
    } else if (prev && row.globalPosition < prev.globalPosition) {
      findings.push({ streamId, position: row.streamPosition, kind: 'reordered', message: `stream ${streamId}: the event at position ${row.streamPosition} was recorded before the one at position ${prev.streamPosition}` });
    }
    prev = row;
  }
  return findings;
}

/** The position of the event `row` was chained to when written (0 = none), if that is not `prev`. */
function writtenAfter(rows: readonly ChainRow[], row: ChainRow, prev: ChainRow | undefined): number | undefined {
  const hashWith = (prevHash: string) => computeEventHash(prevHash, row.type, row.data, row.metadata);
  if (prev && hashWith('') === row.hash) return 0;
  for (const other of rows) {
    if (other === row || other === prev) continue;
    if (hashWith(other.hash) === row.hash) return other.streamPosition;
  }
  return undefined;
}
