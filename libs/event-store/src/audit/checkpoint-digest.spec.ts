import { checkpointDelta, digestOf, foldCheckpoints, parseCheckpointData } from './checkpoint-digest';

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
    const { changed, regressions } = checkpointDelta(committed, [h('a', 4), h('b', 1), h('c', 2, 'other'), h('e', 1)]);
    expect(changed).toEqual([h('a', 4), h('e', 1)]);
    expect(regressions).toEqual([
      { committed: h('b', 2), current: h('b', 1) },
      { committed: h('c', 2), current: h('c', 2, 'other') },
      { committed: h('d', 2) },
    ]);
  });
});

describe(parseCheckpointData.name, () => {
  it('accepts the checkpoint shape only', () => {
    expect(parseCheckpointData({ sequence: 1, streamCount: 1, digest: 'x', changed: [h('a', 1)] })).toBeDefined();
    expect(parseCheckpointData({ sequence: 1, streamCount: 1, digest: 'x', changed: [{ streamId: 'a' }] })).toBeUndefined();
    expect(parseCheckpointData(null)).toBeUndefined();
  });
});
