import { computeEventHash } from '../event-hash';
import { checkStreamChain, type ChainRow } from './chain-check';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = '';
  for (let i = 1; i <= n; i++) {
    const data = { i };
    prev = computeEventHash(prev, 'T', data, {});
    rows.push({ streamPosition: i, globalPosition: i * 10, type: 'T', data, metadata: {}, hash: prev });
  }
  return rows;
}

const registeredFor = (rows: ChainRow[]) => ({ position: rows.at(-1)!.streamPosition, head: rows.at(-1)!.hash });

describe(checkStreamChain.name, () => {
  it('finds nothing wrong with an intact chain that matches its streams row and checkpoint', () => {
    const rows = chain(4);
    expect(checkStreamChain('s', rows, { registered: registeredFor(rows), committed: { streamId: 's', position: 3, head: rows[2]!.hash, sequence: 1 } })).toEqual([]);
  });

  it('names the edited event', () => {
    const rows = chain(4);
    rows[1] = { ...rows[1]!, data: { i: 99 } };
    expect(checkStreamChain('s', rows, { registered: registeredFor(rows) })).toEqual([expect.objectContaining({ streamId: 's', kind: 'edited', position: 2 })]);
  });

  it('tells a moved event from an edited one', () => {
    const rows = chain(4);
    const swapped = [rows[0]!, { ...rows[2]!, streamPosition: 2 }, { ...rows[1]!, streamPosition: 3 }, rows[3]!];
    const found = checkStreamChain('s', swapped, { registered: registeredFor(rows) });
    expect(found.map((f) => [f.kind, f.position])).toEqual([
      ['reordered', 2],
      ['reordered', 3],
      ['reordered', 4],
    ]);
    expect(found[0]!.message).toContain('right after the event now at position 3');
  });

  it('reports a gap once, not the link after it', () => {
    const rows = chain(5).filter((r) => r.streamPosition !== 2 && r.streamPosition !== 3);
    expect(checkStreamChain('s', rows, { registered: registeredFor(chain(5)) })).toEqual([
      expect.objectContaining({ kind: 'missing', position: 2, message: expect.stringContaining('positions 2–3 are missing') }),
    ]);
  });

  it('reports a cut tail against the checkpoint, and a vanished stream', () => {
    const rows = chain(5);
    const committed = { streamId: 's', position: 5, head: rows[4]!.hash, sequence: 2 };
    expect(checkStreamChain('s', rows.slice(0, 3), { committed, registered: registeredFor(rows.slice(0, 3)) })).toEqual([
      expect.objectContaining({ kind: 'truncated', position: 4 }),
    ]);
    expect(checkStreamChain('s', [], { committed })).toEqual([expect.objectContaining({ kind: 'stream-deleted', position: 1 })]);
    expect(checkStreamChain('s', [], { registered: registeredFor(rows) })).toEqual([expect.objectContaining({ kind: 'stream-deleted', position: 1 })]);
  });

  it('reports events the streams table does not know about', () => {
    const rows = chain(3);
    expect(checkStreamChain('s', rows, {})).toEqual([expect.objectContaining({ kind: 'head-mismatch' })]);
    expect(checkStreamChain('s', rows, { registered: { position: 2, head: rows[1]!.hash } })).toEqual([expect.objectContaining({ kind: 'head-mismatch', position: 3 })]);
  });
});
