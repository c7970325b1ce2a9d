import { streams as streamIds } from '@hangar/contracts';
import type { SqlQueryable } from '../event-query';
import type { EventStore } from '../event-store.types';
import { loadSql } from '../sql-files';
import { isStreamVersionConflict } from '../stream-version-conflict.error';
import {
  AUDIT_CHECKPOINT_EVENT,
  checkpointDelta,
  digestOf,
  foldCheckpoints,
  parseCheckpointData,
  type AuditCheckpointData,
  type HeadRegression,
} from './checkpoint-digest';

const SQL = { streams: loadSql('verify-streams'), hashesAt: loadSql('hashes-at') };

export interface RecordCheckpointOptions {
  /** Skip when the latest checkpoint is younger than this (ms; default 0 = never skip for age). */
  minIntervalMs?: number;
  /** Recorded as `metadata.actor` (default `system`). */
  actor?: string;
  now?: Date;
}

export interface RecordCheckpointResult {
  /** The checkpoint appended, or `undefined` when none was due (nothing changed, too soon, or another writer won). */
  recorded?: AuditCheckpointData;
  /** Streams whose current head contradicts a committed one (tampering); never recorded over. */
  regressions: HeadRegression[];
}

/**
 * Appends an `AuditCheckpointRecorded` to `audit-checkpoints` committing to every stream's head
 * (DESIGN G7): the heads that moved since the last checkpoint along a chain that still passes
 * through the committed head, and a digest of all of them. The
 * append expects the checkpoint stream's current version, so concurrent writers record one
 * checkpoint, not two; the loser records nothing.
 */
export async function recordAuditCheckpoint(store: EventStore, db: SqlQueryable, opts: RecordCheckpointOptions = {}): Promise<RecordCheckpointResult> {
  const streamId = streamIds.auditCheckpoints();
  const previous = await store.readStream(streamId);
  const latest = previous[previous.length - 1];
  const now = opts.now ?? new Date();
  if (latest && opts.minIntervalMs && now.getTime() - latest.recordedAt.getTime() < opts.minIntervalMs) return { regressions: [] };
  const committed = foldCheckpoints(previous.map((e) => parseCheckpointData(e.data)).filter((d): d is AuditCheckpointData => d !== undefined));
  const { rows } = await db.query<{ stream_id: string; position: string; head_hash: string }>(SQL.streams);
  const current = rows.filter((r) => r.stream_id !== streamId).map((r) => ({ streamId: r.stream_id, position: Number(r.position), head: r.head_hash }));
  const known = [...committed.values()];
  const through = await db.query<{ stream_id: string; hash: string }>(SQL.hashesAt, [known.map((h) => h.streamId), known.map((h) => h.position)]);
  const { changed, regressions } = checkpointDelta(committed, current, new Map(through.rows.map((r) => [r.stream_id, r.hash])));
  if (changed.length === 0) return { regressions };
  for (const head of changed) committed.set(head.streamId, head);
  const checkpoint: AuditCheckpointData = { sequence: previous.length + 1, streamCount: committed.size, digest: digestOf(committed.values()), changed };
  try {
    await store.append(streamId, [{ type: AUDIT_CHECKPOINT_EVENT, data: { ...checkpoint }, metadata: { actor: opts.actor ?? 'system' } }], {
      expectedVersion: previous.length === 0 ? 'NO_STREAM' : previous.length,
    });
  } catch (error) {
    if (isStreamVersionConflict(error)) return { regressions };
    throw error;
  }
  return { recorded: checkpoint, regressions };
}
