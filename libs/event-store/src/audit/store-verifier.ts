import type { Pool, PoolClient } from 'pg';
import { streams as streamIds } from '@hangar/contracts';
import { isKeyedHash } from '../event-hash';
import type { SqlQueryable } from '../event-query';
import { loadSql } from '../sql-files';
import { checkStreamChain, type ChainContext, type ChainRow, type Commitment, type StreamExpectations, type TamperFinding } from './chain-check';
import { AUDIT_CHECKPOINT_EVENT, allCommitments, digestOf, foldCheckpoints, parseCheckpointData, type AuditCheckpointData, type StreamHead } from './checkpoint-digest';
import { checkpointExportMacValid, sealCheckpointExport, type CheckpointExport } from './checkpoint-export';

const SQL = {
  streams: loadSql('verify-streams'),
  page: loadSql('verify-events-page'),
  readStream: loadSql('read-stream'),
  firstKeyed: loadSql('first-keyed-event'),
};

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
  /**
   * Events whose hash is the legacy unkeyed one (stored before keyed hashing): they verify as they
   * always did, but a database writer could have recomputed them. 0 on a store created since.
   */
  legacyEvents: number;
  /** The latest checkpoint, or `null` when none was recorded yet (then only chains and the streams table are checked). */
  checkpoint: CheckpointSummary | null;
  /** The exported checkpoint checked too (`against`), when one was given. */
  against?: { sequence: number; digest: string; heads: number };
  problems: TamperFinding[];
}

/** An extra check run inside the verification's snapshot (e.g. `api_tokens` against the token streams). */
export type AuditCrossCheck = (db: SqlQueryable) => Promise<TamperFinding[]>;

export interface VerifyOptions {
  /** The audit key (`HANGAR_AUDIT_KEY`) the store's keyed hashes were made with. */
  auditKey: Buffer;
  /** Events read per query (default 5000). */
  batchSize?: number;
  /** An exported checkpoint (`parseCheckpointExport`): each of its heads must still be on the chain. */
  against?: CheckpointExport;
  /** Run in the same snapshot; their findings join the report. */
  crossChecks?: readonly AuditCrossCheck[];
}

interface PageRow {
  stream_id: string;
  stream_position: string;
  global_position: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  hash: string;
}

/**
 * Verifies the whole store in one read-only snapshot: every event of every stream against its hash
 * chain (keyed `h2:` hashes with the audit key, legacy ones as before), its `streams` row, and every
 * head every `AuditCheckpointRecorded` (and the `against` file) committed to, so an edited, reordered,
 * re-hashed or deleted event, a cut-off tail and a deleted stream are each reported with stream and
 * position. Memory grows with the longest stream (a stream is checked whole).
 */
export async function verifyEventStore(pool: Pool, opts: VerifyOptions): Promise<VerificationReport> {
  return inSnapshot(pool, (client) => verifyIn(client, opts));
}

/**
 * The latest checkpoint as an export document (`hangar audit checkpoint --export`), or `null` when
 * none was recorded. Read from one snapshot; signed with the audit key.
 */
export async function exportAuditCheckpoint(pool: Pool, auditKey: Buffer): Promise<CheckpointExport | null> {
  return inSnapshot(pool, async (client) => {
    const streamId = streamIds.auditCheckpoints();
    const { rows } = await client.query<{ data: unknown; recorded_at: Date; hash: string; stream_position: string }>(SQL.readStream, [streamId, 1]);
    const checkpoints = rows.map((r) => parseCheckpointData(r.data)).filter((d): d is AuditCheckpointData => d !== undefined);
    const latest = rows[rows.length - 1];
    const data = latest && parseCheckpointData(latest.data);
    if (!latest || !data) return null;
    const heads = [...foldCheckpoints(checkpoints).values(), { streamId, position: Number(latest.stream_position), head: latest.hash }];
    return sealCheckpointExport(auditKey, { sequence: data.sequence, recordedAt: latest.recorded_at.toISOString(), digest: data.digest, heads });
  });
}

async function inSnapshot<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A read-only transaction has no xid, so its long snapshot does not hold back readers of the global order.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

async function verifyIn(client: PoolClient, opts: VerifyOptions): Promise<VerificationReport> {
  const batchSize = opts.batchSize ?? 5000;
  const problems: TamperFinding[] = [];
  const { commitments, checkpoint } = await loadCheckpoints(client, problems);
  if (opts.against) addExported(opts.against, opts.auditKey, commitments, problems);
  const registered = new Map<string, { position: number; head: string }>();
  for (const r of (await client.query<{ stream_id: string; position: string; head_hash: string }>(SQL.streams)).rows) {
    registered.set(r.stream_id, { position: Number(r.position), head: r.head_hash });
  }
  const [first] = (await client.query<{ first: string | null }>(SQL.firstKeyed)).rows;
  const ctx: ChainContext = { key: opts.auditKey, ...(first?.first ? { keyedSince: Number(first.first) } : {}) };
  const expectationsOf = (streamId: string): StreamExpectations => {
    const c = commitments.get(streamId);
    const r = registered.get(streamId);
    return { ...(c ? { committed: c } : {}), ...(r ? { registered: r } : {}) };
  };
  const checked = new Set<string>();
  let events = 0;
  let legacyEvents = 0;
  let current: { streamId: string; rows: ChainRow[] } | undefined;
  const flush = () => {
    if (!current) return;
    problems.push(...checkStreamChain(current.streamId, current.rows, ctx, expectationsOf(current.streamId)));
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
      current.rows.push(toChainRow(r));
      events++;
      if (!isKeyedHash(r.hash)) legacyEvents++;
    }
    if (rows.length < batchSize) break;
    const last = rows[rows.length - 1]!;
    cursor = [last.stream_id, Number(last.stream_position)];
  }
  flush();
  for (const streamId of new Set([...registered.keys(), ...commitments.keys()])) {
    if (!checked.has(streamId)) problems.push(...checkStreamChain(streamId, [], ctx, expectationsOf(streamId)));
  }
  for (const check of opts.crossChecks ?? []) problems.push(...(await check(client)));
  const against = opts.against ? { sequence: opts.against.sequence, digest: opts.against.digest, heads: opts.against.heads.length } : undefined;
  return { ok: problems.length === 0, streams: checked.size, events, legacyEvents, checkpoint, ...(against ? { against } : {}), problems };
}

function toChainRow(r: PageRow): ChainRow {
  return {
    streamPosition: Number(r.stream_position),
    globalPosition: Number(r.global_position),
    eventId: r.event_id,
    type: r.type,
    data: r.data,
    metadata: r.metadata,
    recordedAt: r.recorded_at,
    hash: r.hash,
  };
}

/** Adds the exported file's heads to the commitments; a file whose MAC fails is itself a finding. */
function addExported(doc: CheckpointExport, key: Buffer, commitments: Map<string, Commitment[]>, problems: TamperFinding[]): void {
  const source = `the exported checkpoint #${doc.sequence}`;
  if (!checkpointExportMacValid(key, doc)) {
    problems.push({ streamId: streamIds.auditCheckpoints(), position: doc.sequence, kind: 'checkpoint-invalid', message: `${source}: its MAC does not match (the file was altered, or made with another audit key)` });
  }
  for (const head of doc.heads) {
    const list = commitments.get(head.streamId) ?? [];
    list.push({ ...head, sequence: doc.sequence, source });
    commitments.set(head.streamId, list);
  }
}

/** Every head every valid checkpoint committed to; malformed or inconsistent checkpoints are findings. */
async function loadCheckpoints(client: PoolClient, problems: TamperFinding[]): Promise<{ commitments: Map<string, Commitment[]>; checkpoint: CheckpointSummary | null }> {
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
  const newest: Map<string, StreamHead> = foldCheckpoints(valid);
  if (latest && (digestOf(newest.values()) !== latest.digest || newest.size !== latest.streamCount)) {
    problems.push({ streamId, position: latest.sequence, kind: 'checkpoint-invalid', message: `${streamId}: checkpoint #${latest.sequence} digest does not match the heads the checkpoints record` });
  }
  return { commitments: allCommitments(valid), checkpoint: latest };
}
