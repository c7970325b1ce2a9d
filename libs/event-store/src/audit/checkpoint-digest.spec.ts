import { allCommitments, checkpointDelta, digestOf, foldCheckpoints, parseCheckpointData } from './checkpoint-digest';

const h = (streamId: string, position: number, head = `${streamId}@${position}`) => ({ streamId, position, head });

describe(digestOf.name, () => {
  it('does not depend on order and changes with any head', () => {
    expect(digestOf([h('a', 1), h('b', 2)])).toBe(digestOf([h('b', 2), h('a', 1)]));
    expect(digestOf([h('a', 1), h('b', 2)])).not.toBe(digestOf([h('a', 1), h('b', 3)]));
    expect(digestOf([h('a', 1), h('b', 2)])).not.toBe(digestOf([h('a', 1), h('b', 2, 'x')]));
    expect(digestOf([h('a', 1)])).not.toBe(digestOf([h('a', 1), h('b', 2)]));
  });
});

describe(checkpointDelta.name, () => {
  it('records new and grown streams, and never records a regression over a committed head', () => {
    const committed = foldCheckpoints([{ changed: [h('a', 2), h('b', 2), h('c', 2), h('d', 2)] }, { changed: [h('a', 3)] }]);
    const through = new Map(['a', 'b', 'c', 'd'].map((s) => [s, committed.get(s)!.head]));
    const { changed, regressions } = checkpointDelta(committed, [h('a', 4), h('b', 1), h('c', 2, 'other'), h('e', 1)], through);
    expect(changed).toEqual([h('a', 4), h('e', 1)]);
    expect(regressions).toEqual([
      { committed: h('b', 2), current: h('b', 1) },
      { committed: h('c', 2), current: h('c', 2, 'other') },
      { committed: h('d', 2) },
    ]);
  });
});

describe(`${checkpointDelta.name} on a grown stream`, () => {
  it('records the new head only when the chain still passes through the committed one', () => {
    const committed = foldCheckpoints([{ changed: [h('a', 2), h('b', 2)] }]);
    const through = new Map([
      ['a', 'a@2'],
      ['b', 'forged'],
    ]);
    const { changed, regressions } = checkpointDelta(committed, [h('a', 3), h('b', 3)], through);
    expect(changed).toEqual([h('a', 3)]);
    expect(regressions).toEqual([{ committed: h('b', 2), current: h('b', 3) }]);
    // The committed event is gone altogether.
    expect(checkpointDelta(committed, [h('a', 3)], new Map()).changed).toEqual([]);
  });
});

describe(allCommitments.name, () => {
  it('keeps every committed head, not only the newest per stream', () => {
    const all = allCommitments([
      { sequence: 1, changed: [h('a', 1), h('b', 1)] },
      { sequence: 2, changed: [h('a', 3)] },
    ]);
    expect(all.get('a')).toEqual([{ ...h('a', 1), sequence: 1 }, { ...h('a', 3), sequence: 2 }]);
    expect(all.get('b')).toEqual([{ ...h('b', 1), sequence: 1 }]);
  });
});

describe(parseCheckpointData.name, () => {
  it('accepts the checkpoint shape only', () => {
    expect(parseCheckpointData({ sequence: 1, streamCount: 1, digest: 'x', changed: [h('a', 1)] })).toBeDefined();
    expect(parseCheckpointData({ sequence: 1, streamCount: 1, digest: 'x', changed: [{ streamId: 'a' }] })).toBeUndefined();
    expect(parseCheckpointData(null)).toBeUndefined();
  });
});
