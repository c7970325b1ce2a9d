import { computeEventHash, computeLegacyEventHash } from '../event-hash';
import { checkStreamChain, type ChainContext, type ChainRow } from './chain-check';

const key = Buffer.alloc(32, 1);
const ctx: ChainContext = { key };
const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));

/** A keyed chain of `n` events in stream `s`, global positions 10, 20, … */
function chain(n: number, streamId = 's'): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = '';
  for (let i = 1; i <= n; i++) {
    const row = { streamPosition: i, globalPosition: i * 10, eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'T', data: { i }, metadata: {}, recordedAt: at(i) };
    prev = computeEventHash(key, prev, { ...row, streamId });
    rows.push({ ...row, hash: prev });
  }
  return rows;
}

/** The legacy (unkeyed) chain of the same events. */
function legacyChain(n: number): ChainRow[] {
  let prev = '';
  return chain(n).map((r) => {
    prev = computeLegacyEventHash(prev, r.type, r.data, r.metadata);
    return { ...r, hash: prev };
  });
}

/** What a database writer without the key can do: recompute the chain with some other key. */
function rehash(rows: ChainRow[], withKey: Buffer): ChainRow[] {
  let prev = '';
  return rows.map((r) => {
    prev = computeEventHash(withKey, prev, { ...r, streamId: 's' });
    return { ...r, hash: prev };
  });
}

const registeredFor = (rows: ChainRow[]) => ({ position: rows.at(-1)!.streamPosition, head: rows.at(-1)!.hash });

describe(checkStreamChain.name, () => {
  it('finds nothing wrong with an intact chain that matches its streams row and checkpoints', () => {
    const rows = chain(4);
    const committed = [
      { streamId: 's', position: 1, head: rows[0]!.hash, sequence: 1 },
      { streamId: 's', position: 3, head: rows[2]!.hash, sequence: 2 },
    ];
    expect(checkStreamChain('s', rows, ctx, { registered: registeredFor(rows), committed })).toEqual([]);
  });

  it('names the edited event', () => {
    const rows = chain(4);
    rows[1] = { ...rows[1]!, data: { i: 99 } };
    expect(checkStreamChain('s', rows, ctx, { registered: registeredFor(rows) })).toEqual([expect.objectContaining({ streamId: 's', kind: 'edited', position: 2 })]);
  });

  it('catches a backdated recorded_at and a changed event id, which the legacy hash never covered', () => {
    const backdated = chain(3);
    backdated[1] = { ...backdated[1]!, recordedAt: new Date('2020-01-01T00:00:00.000Z') };
    expect(checkStreamChain('s', backdated, ctx, { registered: registeredFor(backdated) })).toEqual([expect.objectContaining({ kind: 'edited', position: 2 })]);
    const renamed = chain(3);
    renamed[2] = { ...renamed[2]!, eventId: '00000000-0000-4000-8000-999999999999' };
    expect(checkStreamChain('s', renamed, ctx, { registered: registeredFor(renamed) })).toEqual([expect.objectContaining({ kind: 'edited', position: 3 })]);
  });

  it('catches an event copied into another stream with its hash', () => {
    const rows = chain(2, 'other');
    expect(checkStreamChain('s', rows, ctx, { registered: registeredFor(rows) }).map((f) => [f.kind, f.position])).toEqual([
      ['edited', 1],
      ['edited', 2],
    ]);
  });

  it('catches a chain recomputed without the key: with a wrong key, or downgraded to unkeyed hashes', () => {
    const forged = rehash(chain(3).map((r, i) => (i === 1 ? { ...r, data: { i: 42 } } : r)), Buffer.alloc(32, 9));
    expect(checkStreamChain('s', forged, ctx, { registered: registeredFor(forged) }).map((f) => [f.kind, f.position])).toEqual([
      ['edited', 1],
      ['edited', 2],
      ['edited', 3],
    ]);
    const downgraded = legacyChain(3);
    const found = checkStreamChain('s', downgraded, { key, keyedSince: 15 }, { registered: registeredFor(downgraded) });
    expect(found.map((f) => [f.kind, f.position])).toEqual([
      ['downgraded', 2],
      ['downgraded', 3],
    ]);
  });

  it('verifies legacy unkeyed events stored before keyed hashing, and a keyed chain continuing them', () => {
    const legacy = legacyChain(2);
    const rows = [...legacy];
    const next = { ...chain(3)[2]! };
    rows.push({ ...next, hash: computeEventHash(key, legacy[1]!.hash, { ...next, streamId: 's' }) });
    expect(checkStreamChain('s', rows, { key, keyedSince: 30 }, { registered: registeredFor(rows) })).toEqual([]);
    const edited = rows.map((r, i) => (i === 0 ? { ...r, data: { i: 7 } } : r));
    expect(checkStreamChain('s', edited, { key, keyedSince: 30 }, { registered: registeredFor(rows) })).toEqual([expect.objectContaining({ kind: 'edited', position: 1 })]);
  });

  it('tells a moved event from an edited one', () => {
    const rows = chain(4);
    const swapped = [rows[0]!, { ...rows[2]!, streamPosition: 2 }, { ...rows[1]!, streamPosition: 3 }, rows[3]!];
    const found = checkStreamChain('s', swapped, ctx, { registered: registeredFor(rows) });
    expect(found.map((f) => [f.kind, f.position])).toEqual([
      ['reordered', 2],
      ['reordered', 3],
      ['reordered', 4],
    ]);
    expect(found[0]!.message).toContain('right after the event now at position 3');
  });

  it('reports a gap once, not the link after it', () => {
    const rows = chain(5).filter((r) => r.streamPosition !== 2 && r.streamPosition !== 3);
    expect(checkStreamChain('s', rows, ctx, { registered: registeredFor(chain(5)) })).toEqual([
      expect.objectContaining({ kind: 'missing', position: 2, message: expect.stringContaining('positions 2–3 are missing') }),
    ]);
  });

  it('checks every committed head, not only the newest', () => {
    const rows = chain(5);
    // A keyed chain recomputed by someone holding the key from position 2 on: only an older checkpoint still disagrees.
    const rewritten = [rows[0]!, ...chain(5).slice(1).map((r) => ({ ...r, data: { i: 0 } }))];
    let prev = rows[0]!.hash;
    const relinked = rewritten.map((r, i) => {
      if (i === 0) return r;
      prev = computeEventHash(key, prev, { ...r, streamId: 's' });
      return { ...r, hash: prev };
    });
    const committed = [
      { streamId: 's', position: 2, head: rows[1]!.hash, sequence: 1 },
      { streamId: 's', position: 5, head: relinked[4]!.hash, sequence: 2 },
    ];
    expect(checkStreamChain('s', relinked, ctx, { registered: registeredFor(relinked), committed })).toEqual([
      expect.objectContaining({ kind: 'rewritten', position: 2, message: expect.stringContaining('checkpoint #1') }),
    ]);
  });

  it('reports a cut tail against the checkpoint, and a vanished stream', () => {
    const rows = chain(5);
    const committed = [{ streamId: 's', position: 5, head: rows[4]!.hash, sequence: 2, source: 'the exported checkpoint #2' }];
    expect(checkStreamChain('s', rows.slice(0, 3), ctx, { committed, registered: registeredFor(rows.slice(0, 3)) })).toEqual([
      expect.objectContaining({ kind: 'truncated', position: 4, message: expect.stringContaining('the exported checkpoint #2') }),
    ]);
    expect(checkStreamChain('s', [], ctx, { committed })).toEqual([expect.objectContaining({ kind: 'stream-deleted', position: 1 })]);
    expect(checkStreamChain('s', [], ctx, { registered: registeredFor(rows) })).toEqual([expect.objectContaining({ kind: 'stream-deleted', position: 1 })]);
  });

  it('reports events the streams table does not know about', () => {
    const rows = chain(3);
    expect(checkStreamChain('s', rows, ctx, {})).toEqual([expect.objectContaining({ kind: 'head-mismatch' })]);
    expect(checkStreamChain('s', rows, ctx, { registered: { position: 2, head: rows[1]!.hash } })).toEqual([expect.objectContaining({ kind: 'head-mismatch', position: 3 })]);
  });
});
