import { createTestDatabase, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { createEventStore, type EventStoreHandle } from '../create-event-store';
import { computeEventHash } from '../event-hash';
import type { EventMetadata } from '../event-store.types';
import { eventStoreMigrations } from '../event-store-migrations';
import { recordAuditCheckpoint } from './audit-checkpoint';
import type { TamperFinding } from './chain-check';
import { verifyEventStore } from './store-verifier';

/**
 * G7: each kind of tampering, done with plain SQL on the events table, is reported naming the
 * stream and position; streams nobody touched verify clean.
 */
describe('verifyEventStore', () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  const sql = (text: string, params: unknown[] = []) => handle.pool.query(text, params);
  const victims = ['edit', 'reorder', 'middle', 'tail', 'whole', 'rewrite', 'after'].map((v) => `victim-${v}`);

  async function problemsOf(streamId: string): Promise<TamperFinding[]> {
    const report = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, batchSize: 7 });
    return report.problems.filter((p) => p.streamId === streamId);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations, poolSize: 4 });
    for (const stream of [...victims, 'clean-1', 'clean-2']) {
      for (let n = 1; n <= 5; n++) {
        await handle.store.append(stream, [{ type: 'Happened', data: { n, app: 'a' }, metadata: { actor: 'me' } }], { expectedVersion: n - 1 });
      }
    }
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('an untouched store verifies clean, before and after a checkpoint', async () => {
    const before = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, batchSize: 7 });
    expect(before).toMatchObject({ ok: true, problems: [], checkpoint: null, streams: victims.length + 2, events: 5 * (victims.length + 2) });
    const { recorded } = await recordAuditCheckpoint(handle.store, handle.pool);
    expect(recorded).toMatchObject({ sequence: 1, streamCount: victims.length + 2 });
    const after = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY, batchSize: 7 });
    expect(after).toMatchObject({ ok: true, problems: [], checkpoint: { sequence: 1, digest: recorded!.digest } });
    expect(after.streams).toBe(victims.length + 3);
    // Nothing moved: no second checkpoint.
    expect((await recordAuditCheckpoint(handle.store, handle.pool)).recorded).toBeUndefined();
  });

  it('detects an edited event', async () => {
    await sql(`UPDATE events SET data = jsonb_set(data, '{n}', '99') WHERE stream_id = 'victim-edit' AND stream_position = 3`);
    expect(await problemsOf('victim-edit')).toEqual([expect.objectContaining({ kind: 'edited', position: 3 })]);
  });

  it('detects reordered events', async () => {
    await sql(`UPDATE events SET stream_position = 1000 WHERE stream_id = 'victim-reorder' AND stream_position = 2`);
    await sql(`UPDATE events SET stream_position = 2 WHERE stream_id = 'victim-reorder' AND stream_position = 3`);
    await sql(`UPDATE events SET stream_position = 3 WHERE stream_id = 'victim-reorder' AND stream_position = 1000`);
    const found = await problemsOf('victim-reorder');
    expect(found[0]).toMatchObject({ kind: 'reordered', position: 2 });
    expect(found.every((f) => f.kind === 'reordered')).toBe(true);
    expect(found[0]!.message).toContain('victim-reorder');
  });

  it('detects an event deleted from the middle', async () => {
    await sql(`DELETE FROM events WHERE stream_id = 'victim-middle' AND stream_position = 3`);
    expect(await problemsOf('victim-middle')).toEqual([expect.objectContaining({ kind: 'missing', position: 3 })]);
  });

  it('detects a deleted tail, even when the streams table is doctored to match', async () => {
    await sql(`DELETE FROM events WHERE stream_id = 'victim-tail' AND stream_position >= 4`);
    await sql(`UPDATE streams SET position = 3, head_hash = (SELECT hash FROM events WHERE stream_id = 'victim-tail' AND stream_position = 3) WHERE stream_id = 'victim-tail'`);
    expect(await problemsOf('victim-tail')).toEqual([expect.objectContaining({ kind: 'truncated', position: 4, message: expect.stringContaining('checkpoint #1') })]);
  });

  it('detects a deleted whole stream', async () => {
    await sql(`DELETE FROM events WHERE stream_id = 'victim-whole'`);
    await sql(`DELETE FROM streams WHERE stream_id = 'victim-whole'`);
    expect(await problemsOf('victim-whole')).toEqual([expect.objectContaining({ kind: 'stream-deleted', position: 1 })]);
  });

  it('detects a stream rewritten with its chain recomputed by someone holding the key, against the checkpoint', async () => {
    const { rows } = await sql(`SELECT stream_position, event_id, type, data, metadata, recorded_at FROM events WHERE stream_id = 'victim-rewrite' ORDER BY stream_position`);
    let prev = '';
    for (const r of rows) {
      const data = r.stream_position === '2' ? { ...r.data, n: 42 } : r.data;
      const event = { streamId: 'victim-rewrite', streamPosition: Number(r.stream_position), eventId: r.event_id as string, type: r.type as string, data, metadata: r.metadata as EventMetadata, recordedAt: r.recorded_at as Date };
      prev = computeEventHash(TEST_AUDIT_KEY, prev, event);
      await sql(`UPDATE events SET data = $1, hash = $2 WHERE stream_id = 'victim-rewrite' AND stream_position = $3`, [data, prev, r.stream_position]);
    }
    await sql(`UPDATE streams SET head_hash = $1 WHERE stream_id = 'victim-rewrite'`, [prev]);
    expect(await problemsOf('victim-rewrite')).toEqual([expect.objectContaining({ kind: 'rewritten', position: 5 })]);
  });

  it('detects an edit to an event appended after the last checkpoint', async () => {
    await handle.store.append('victim-after', [{ type: 'Later', data: { n: 6 } }], { expectedVersion: 5 });
    await sql(`UPDATE events SET metadata = '{"actor":"someone-else"}' WHERE stream_id = 'victim-after' AND stream_position = 6`);
    expect(await problemsOf('victim-after')).toEqual([expect.objectContaining({ kind: 'edited', position: 6 })]);
  });

  it('a checkpoint taken after tampering reports it and does not launder it', async () => {
    const { recorded, regressions } = await recordAuditCheckpoint(handle.store, handle.pool);
    expect(regressions.map((r) => r.committed.streamId).sort()).toEqual(['victim-rewrite', 'victim-tail', 'victim-whole']);
    expect(recorded?.changed.map((h) => h.streamId)).toEqual(['victim-after']);
    const report = await verifyEventStore(handle.pool, { auditKey: TEST_AUDIT_KEY });
    expect(report.ok).toBe(false);
    expect(new Set(report.problems.map((p) => p.streamId))).toEqual(new Set(['victim-edit', 'victim-reorder', 'victim-middle', 'victim-tail', 'victim-whole', 'victim-rewrite', 'victim-after']));
    expect(report.checkpoint?.sequence).toBe(2);
  });
});
