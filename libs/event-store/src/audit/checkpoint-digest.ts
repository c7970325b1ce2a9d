import { createHash } from 'node:crypto';

/** A stream's position and the hash of its event at that position. */
export interface StreamHead {
  streamId: string;
  position: number;
  head: string;
}

/** The data of an `AuditCheckpointRecorded` event (stream `audit-checkpoints`). */
export interface AuditCheckpointData {
  /** 1, 2, … (= the event's position in `audit-checkpoints`). */
  sequence: number;
  /** Streams committed to so far (every stream but `audit-checkpoints` itself). */
  streamCount: number;
  /** `digestOf` every committed head after this checkpoint: publish it elsewhere to anchor the store. */
  digest: string;
  /** Heads that changed since the previous checkpoint (all of them in the first one). */
  changed: StreamHead[];
}

/** The event type of a checkpoint. */
export const AUDIT_CHECKPOINT_EVENT = 'AuditCheckpointRecorded';

/**
 * sha256 hex over `<streamId>\t<position>\t<head>\n` for every head, sorted by stream id (UTF-16
 * code units), so the same heads give the same digest whatever order they come in.
 */
export function digestOf(heads: Iterable<StreamHead>): string {
  const sorted = [...heads].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const hash = createHash('sha256');
  for (const h of sorted) hash.update(`${h.streamId}\t${h.position}\t${h.head}\n`);
  return hash.digest('hex');
}

/** The heads the checkpoints commit to: each stream's latest recorded head. */
export function foldCheckpoints(checkpoints: Iterable<Pick<AuditCheckpointData, 'changed'>>): Map<string, StreamHead> {
  const heads = new Map<string, StreamHead>();
  for (const c of checkpoints) for (const h of c.changed) heads.set(h.streamId, h);
  return heads;
}

/** Every head every checkpoint committed to, by stream, each with the sequence of its checkpoint. */
export function allCommitments(checkpoints: Iterable<Pick<AuditCheckpointData, 'changed' | 'sequence'>>): Map<string, (StreamHead & { sequence: number })[]> {
  const heads = new Map<string, (StreamHead & { sequence: number })[]>();
  for (const c of checkpoints) {
    for (const h of c.changed) {
      const list = heads.get(h.streamId) ?? [];
      list.push({ ...h, sequence: c.sequence });
      heads.set(h.streamId, list);
    }
  }
  return heads;
}

/**
 * A stream whose current head contradicts a committed one: shorter, gone, another hash at the same
 * position, or longer but no longer passing through the committed head (its prefix was rewritten).
 */
export interface HeadRegression {
  committed: StreamHead;
  current?: StreamHead;
}

/**
 * What the next checkpoint records: the heads that moved forward since `committed` along the same
 * chain. `throughCommitted` holds, per committed stream, the hash its event at the committed position
 * has now (absent when that event is gone). Heads that went backwards, changed in place, or grew
 * from a rewritten prefix are never recorded over the committed ones (they are tampering, reported
 * as regressions), so a checkpoint taken after tampering still commits to the truth.
 */
export function checkpointDelta(
  committed: ReadonlyMap<string, StreamHead>,
  current: readonly StreamHead[],
  throughCommitted: ReadonlyMap<string, string>,
): { changed: StreamHead[]; regressions: HeadRegression[] } {
  const changed: StreamHead[] = [];
  const regressions: HeadRegression[] = [];
  const seen = new Set<string>();
  for (const head of current) {
    seen.add(head.streamId);
    const known = committed.get(head.streamId);
    if (!known) changed.push(head);
    else if (head.position > known.position && throughCommitted.get(head.streamId) === known.head) changed.push(head);
    else if (head.position > known.position) regressions.push({ committed: known, current: head });
    else if (head.position < known.position || head.head !== known.head) regressions.push({ committed: known, current: head });
  }
  for (const known of committed.values()) if (!seen.has(known.streamId)) regressions.push({ committed: known });
  return { changed, regressions };
}

/** Checks that an event's data has the checkpoint shape; `undefined` when it does not. */
export function parseCheckpointData(data: unknown): AuditCheckpointData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Partial<AuditCheckpointData>;
  if (typeof d.sequence !== 'number' || typeof d.streamCount !== 'number' || typeof d.digest !== 'string' || !Array.isArray(d.changed)) return undefined;
  const valid = d.changed.every((h) => typeof h?.streamId === 'string' && typeof h.position === 'number' && typeof h.head === 'string');
  return valid ? (d as AuditCheckpointData) : undefined;
}
