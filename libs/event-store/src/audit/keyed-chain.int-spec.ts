import { randomUUID } from 'node:crypto';
import { createTestDatabase, TEST_AUDIT_KEY, type TestDatabase } from '@hangar/testing';
import { createEventStore, type EventStoreHandle } from '../create-event-store';
import { computeEventHash, computeLegacyEventHash } from '../event-hash';
import { eventStoreMigrations } from '../event-store-migrations';
import { recordAuditCheckpoint } from './audit-checkpoint';
import type { TamperFinding } from './chain-check';
import { parseCheckpointExport } from './checkpoint-export';
import { exportAuditCheckpoint, verifyEventStore } from './store-verifier';

/**
 * H2: tampering by a database writer who does not hold `HANGAR_AUDIT_KEY`, each written with raw
 * SQL, recomputing unkeyed or wrongly keyed hashes and the `streams` row where that would help.
 */
describe('verifyEventStore against a database writer', () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  const sql = (text: string, params: unknown[] = []) => handle.pool.query(text, params);
  const verify = () => verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, batchSize: 5 });
  const problemsOf = async (streamId: string): Promise<TamperFinding[]> => (await verify()).problems.filter((p) => p.streamId === streamId);
  const append = (stream: string, n: number, expectedVersion: number) => handle.store.append(stream, [{ type: 'Happened', data: { n, app: 'a' }, metadata: { actor: 'admin' } }], { expectedVersion });

  /** Recomputes a stream's chain the way a writer can: `hashOf` for each row, then the streams row. */
  async function rechain(streamId: string, hashOf: (prev: string, r: Row) => string, edit: (r: Row) => Row = (r) => r): Promise<void> {
    const { rows } = await sql(`SELECT stream_position, event_id, type, data, metadata, recorded_at FROM events WHERE stream_id = $1 ORDER BY stream_position`, [streamId]);
    let prev = '';
    for (const raw of rows) {
      const r = edit({ streamId, streamPosition: Number(raw.stream_position), eventId: raw.event_id, type: raw.type, data: raw.data, metadata: raw.metadata, recordedAt: raw.recorded_at });
      prev = hashOf(prev, r);
      await sql(`UPDATE events SET data = $1, metadata = $2, recorded_at = $3, hash = $4 WHERE stream_id = $5 AND stream_position = $6`, [r.data, r.metadata, r.recordedAt, prev, streamId, r.streamPosition]);
    }
    await sql(`UPDATE streams SET head_hash = $1 WHERE stream_id = $2`, [prev, streamId]);
  }
  type Row = { streamId: string; streamPosition: number; eventId: string; type: string; data: Record<string, unknown>; metadata: Record<string, unknown>; recordedAt: Date };
  const asMallory = (r: Row): Row => (r.streamPosition === 1 ? { ...r, metadata: { ...r.metadata, actor: 'mallory' } } : r);

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations, poolSize: 4 });
    // A stream stored before keyed hashing (v1 hashes), as an upgraded database holds them.
    let prev = '';
    for (let n = 1; n <= 3; n++) {
      prev = computeLegacyEventHash(prev, 'Happened', { n }, { actor: 'admin' });
      await sql(`INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata, hash) VALUES ('legacy-app', $1, $2, 'Happened', $3, '{"actor":"admin"}', $4)`, [n, randomUUID(), { n }, prev]);
    }
    await sql(`INSERT INTO streams (stream_id, position, head_hash) VALUES ('legacy-app', 3, $1)`, [prev]);
    for (const stream of ['wrong-key', 'unkeyed', 'backdated', 'renumbered', 'cut', 'clean']) {
      for (let n = 1; n <= 3; n++) await append(stream, n, n - 1);
    }
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('verifies the keyed store clean and reports legacy events as unkeyed, not as tampering', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, problems: [], legacyEvents: 3, events: 21 });
    const { rows } = await sql(`SELECT count(*)::int AS n FROM events WHERE hash LIKE 'h2:%'`);
    expect(rows[0].n).toBe(18);
  });

  it('detects a rewritten event whose chain was recomputed with a wrong key', async () => {
    const wrongKey = Buffer.alloc(32, 0x5a);
    await rechain('wrong-key', (prev, r) => computeEventHash(wrongKey, prev, r), asMallory);
    expect((await problemsOf('wrong-key')).map((p) => [p.kind, p.position])).toEqual([
      ['edited', 1],
      ['edited', 2],
      ['edited', 3],
    ]);
  });

  it('detects a rewritten event whose chain was recomputed unkeyed (a downgrade to the legacy hash)', async () => {
    await rechain('unkeyed', (prev, r) => computeLegacyEventHash(prev, r.type, r.data, r.metadata), asMallory);
    const found = await problemsOf('unkeyed');
    expect(found.map((p) => p.kind)).toEqual(['downgraded', 'downgraded', 'downgraded']);
    expect(found[0]!.message).toContain('without the audit key');
  });

  it('detects a backdated recorded_at', async () => {
    await sql(`UPDATE events SET recorded_at = '2020-01-01T00:00:00Z' WHERE stream_id = 'backdated' AND stream_position = 2`);
    expect(await problemsOf('backdated')).toEqual([expect.objectContaining({ kind: 'edited', position: 2 })]);
  });

  it('detects an event given another event id', async () => {
    await sql(`UPDATE events SET event_id = $1 WHERE stream_id = 'renumbered' AND stream_position = 3`, [randomUUID()]);
    expect(await problemsOf('renumbered')).toEqual([expect.objectContaining({ kind: 'edited', position: 3 })]);
  });

  it('detects a rewrite older than the last checkpoint, and never checkpoints over it (review rows 102-103)', async () => {
    const first = await recordAuditCheckpoint(handle.store, handle.pool);
    expect(first.recorded?.sequence).toBe(1);
    // Legacy events can be re-hashed without the key: rewrite the checkpointed stream, then a normal append grows it.
    await rechain('legacy-app', (prev, r) => computeLegacyEventHash(prev, r.type, r.data, r.metadata), asMallory);
    await append('legacy-app', 4, 3);
    const second = await recordAuditCheckpoint(handle.store, handle.pool);
    expect(second.regressions).toEqual([expect.objectContaining({ committed: expect.objectContaining({ streamId: 'legacy-app', position: 3 }), current: expect.objectContaining({ position: 4 }) })]);
    expect(second.recorded?.changed.map((h) => h.streamId) ?? []).not.toContain('legacy-app');
    // A third checkpoint (nothing else moved) launders nothing either, and verify still names the rewrite.
    await recordAuditCheckpoint(handle.store, handle.pool);
    expect(await problemsOf('legacy-app')).toEqual([expect.objectContaining({ kind: 'rewritten', position: 3, message: expect.stringContaining('checkpoint #1') })]);
  });

  it('--against an exported checkpoint detects a truncated stream and deleted newest checkpoints that verify alone misses', async () => {
    await append('cut', 4, 3);
    await append('cut', 5, 4);
    await recordAuditCheckpoint(handle.store, handle.pool);
    const exported = await exportAuditCheckpoint(handle.pool, TEST_AUDIT_KEY);
    const doc = parseCheckpointExport(JSON.parse(JSON.stringify(exported)));
    expect(doc.heads).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: 'cut', position: 5 }), expect.objectContaining({ streamId: 'audit-checkpoints', position: doc.sequence })]));
    // The writer deletes the newest checkpoint and the stream's tail, and doctors the streams table to match.
    await sql(`DELETE FROM events WHERE stream_id = 'audit-checkpoints' AND stream_position = $1`, [doc.sequence]);
    await sql(`UPDATE streams SET position = $1, head_hash = (SELECT hash FROM events WHERE stream_id = 'audit-checkpoints' AND stream_position = $1) WHERE stream_id = 'audit-checkpoints'`, [doc.sequence - 1]);
    await sql(`DELETE FROM events WHERE stream_id = 'cut' AND stream_position > 3`);
    await sql(`UPDATE streams SET position = 3, head_hash = (SELECT hash FROM events WHERE stream_id = 'cut' AND stream_position = 3) WHERE stream_id = 'cut'`);
    const alone = await verify();
    expect(alone.problems.filter((p) => p.streamId === 'cut' || p.streamId === 'audit-checkpoints')).toEqual([]);
    const against = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, against: doc });
    expect(against.against).toMatchObject({ sequence: doc.sequence });
    expect(against.problems.filter((p) => p.streamId === 'cut')).toEqual([expect.objectContaining({ kind: 'truncated', position: 4, message: expect.stringContaining(`exported checkpoint #${doc.sequence}`) })]);
    expect(against.problems.filter((p) => p.streamId === 'audit-checkpoints')).toEqual([expect.objectContaining({ kind: 'truncated', position: doc.sequence })]);
  });

  it('reports an exported file altered without the key', async () => {
    const doc = parseCheckpointExport(JSON.parse(JSON.stringify(await exportAuditCheckpoint(handle.pool, TEST_AUDIT_KEY))));
    const forged = { ...doc, heads: doc.heads.filter((h) => h.streamId !== 'clean') };
    const report = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, against: forged });
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-invalid', message: expect.stringContaining('MAC') }));
    const intact = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, against: doc });
    expect(intact.problems.filter((p) => p.kind === 'checkpoint-invalid')).toEqual([]);
  });

  it('leaves the untouched stream clean throughout', async () => {
    expect(await problemsOf('clean')).toEqual([]);
  });
});
