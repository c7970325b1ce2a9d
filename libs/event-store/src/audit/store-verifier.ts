import type { Pool, PoolClient } from 'pg';
import { streams as streamIds } from '@hangar/contracts';
import { loadSql } from '../sql-files';
import { checkStreamChain, type ChainRow, type StreamExpectations, type TamperFinding } from './chain-check';
import { AUDIT_CHECKPOINT_EVENT, digestOf, foldCheckpoints, parseCheckpointData, type AuditCheckpointData, type StreamHead } from './checkpoint-digest';

const SQL = { streams: loadSql('verify-streams'), page: loadSql('verify-events-page'), readStream: loadSql('read-stream') };

/** The checkpoint a verification compared against. */
export interface CheckpointSummary {
  sequence: number;
  recordedAt: string;
  streamCount: number;
  digest: string;
}

/** The result of `audit verify` (DESIGN G7). */
export interface VerificationReport {
  /** No problems found. */
  ok: boolean;
  /** Streams and events checked. */
  streams: number;
  events: number;
  /** The latest checkpoint, or `null` when none was recorded yet (then only chains and the streams table are checked). */
  checkpoint: CheckpointSummary | null;
  problems: TamperFinding[];
}

interface PageRow {
  stream_id: string;
  stream_position: string;
  global_position: string;
  type: string;
  data: unknown;
  metadata: unknown;
  hash: string;
}

/**
 * Verifies the whole store in one read-only snapshot: every stream's hash chain, its `streams` row,
 * and the heads the latest `AuditCheckpointRecorded` committed to, so an edited, reordered or
 * deleted event, a cut-off tail and a deleted stream are each reported with stream and position.
 * Memory grows with the longest stream (a stream is checked whole).
 */
export async function verifyEventStore(pool: Pool, opts: { batchSize?: number } = {}): Promise<VerificationReport> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A read-only transaction has no xid, so its long snapshot does not hold back readers of the global order.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyIn(client, opts.batchSize ?? 5000);
    await client.query('COMMIT');
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

async function verifyIn(client: PoolClient, batchSize: number): Promise<VerificationReport> {
  const problems: TamperFinding[] = [];
  const { committed, checkpoint } = await loadCheckpoints(client, problems);
  const registered = new Map<string, { position: number; head: string }>();
  for (const r of (await client.query<{ stream_id: string; position: string; head_hash: string }>(SQL.streams)).rows) {
    registered.set(r.stream_id, { position: Number(r.position), head: r.head_hash });
  }
  const expectationsOf = (streamId: string): StreamExpectations => {
    const c = committed.get(streamId);
    const r = registered.get(streamId);
    return { ...(c && checkpoint ? { committed: { ...c, sequence: checkpoint.sequence } } : {}), ...(r ? { registered: r } : {}) };
  };
  const checked = new Set<string>();
  let events = 0;
  let current: { streamId: string; rows: ChainRow[] } | undefined;
  const flush = () => {
    if (!current) return;
    problems.push(...checkStreamChain(current.streamId, current.rows, expectationsOf(current.streamId)));
    checked.add(current.streamId);
    current = undefined;
  };
  let cursor: [string, number] = ['', 0];
  for (;;) {
    const { rows } = await client.query<PageRow>(SQL.page, [cursor[0], cursor[1], batchSize]);
    for (const r of rows) {
      if (current?.streamId !== r.stream_id) {
        flush();
        current = { streamId: r.stream_id, rows: [] };
      }
      current.rows.push({ streamPosition: Number(r.stream_position), globalPosition: Number(r.global_position), type: r.type, data: r.data, metadata: r.metadata, hash: r.hash });
      events++;
    }
    if (rows.length < batchSize) break;
    const last = rows[rows.length - 1]!;
    cursor = [last.stream_id, Number(last.stream_position)];
  }
  flush();
  for (const streamId of new Set([...registered.keys(), ...committed.keys()])) {
    if (!checked.has(streamId)) problems.push(...checkStreamChain(streamId, [], expectationsOf(streamId)));
  }
  return { ok: problems.length === 0, streams: checked.size, events, checkpoint, problems };
}

/** Folds the checkpoint stream into the committed heads; malformed or inconsistent checkpoints are findings. */
async function loadCheckpoints(client: PoolClient, problems: TamperFinding[]): Promise<{ committed: Map<string, StreamHead>; checkpoint: CheckpointSummary | null }> {
  const streamId = streamIds.auditCheckpoints();
  const { rows } = await client.query<{ stream_position: string; type: string; data: unknown; recorded_at: Date }>(SQL.readStream, [streamId, 1]);
  const valid: AuditCheckpointData[] = [];
  let latest: CheckpointSummary | null = null;
  for (const row of rows) {
    const data = row.type === AUDIT_CHECKPOINT_EVENT ? parseCheckpointData(row.data) : undefined;
    const position = Number(row.stream_position);
    if (!data || data.sequence !== position) {
      problems.push({ streamId, position, kind: 'checkpoint-invalid', message: `${streamId}: position ${position} is not a well-formed checkpoint #${position}` });
      continue;
    }
    valid.push(data);
    latest = { sequence: data.sequence, recordedAt: row.recorded_at.toISOString(), streamCount: data.streamCount, digest: data.digest };
  }
  const committed = foldCheckpoints(valid);
  if (latest && (digestOf(committed.values()) !== latest.digest || committed.size !== latest.streamCount)) {
    problems.push({ streamId, position: latest.sequence, kind: 'checkpoint-invalid', message: `${streamId}: checkpoint #${latest.sequence} digest does not match the heads the checkpoints record` });
  }
  return { committed, checkpoint: latest };
}
