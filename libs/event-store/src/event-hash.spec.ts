import { createHash, createHmac } from 'node:crypto';
import { canonicalJson, computeEventHash, computeLegacyEventHash, isKeyedHash, type HashedEvent } from './event-hash';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is the same for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
  });

  it('writes dates the way JSON.stringify does', () => {
    expect(canonicalJson({ at: new Date('2024-01-02T03:04:05.000Z') })).toBe('{"at":"2024-01-02T03:04:05.000Z"}');
  });
});

describe(computeLegacyEventHash.name, () => {
  it('is sha256 hex of prevHash + type + canonical data + canonical metadata', () => {
    const expected = createHash('sha256').update('abc' + 'AppCreated' + '{"a":1,"b":2}' + '{"actor":"me"}').digest('hex');
    expect(computeLegacyEventHash('abc', 'AppCreated', { b: 2, a: 1 }, { actor: 'me' })).toBe(expected);
  });
});

describe(computeEventHash.name, () => {
  const key = Buffer.alloc(32, 7);
  const base: HashedEvent = {
    streamId: 'app-demo',
    streamPosition: 3,
    eventId: '0b9d2a3e-8f6c-4a51-9d2e-3c1f6b7a8e90',
    type: 'AppCreated',
    data: { b: 2, a: 1 },
    metadata: { actor: 'me' },
    recordedAt: new Date('2026-01-02T03:04:05.678Z'),
  };

  it('is h2: + HMAC-SHA256 with the key over length-prefixed fields', () => {
    const lp = (s: string) => {
      const b = Buffer.from(s, 'utf8');
      const n = Buffer.alloc(4);
      n.writeUInt32BE(b.length);
      return Buffer.concat([n, b]);
    };
    const fields = ['hangar-event-hash-v2', 'prev', 'app-demo', '3', base.eventId, 'AppCreated', '{"a":1,"b":2}', '{"actor":"me"}', '2026-01-02T03:04:05.678Z'];
    const expected = createHmac('sha256', key).update(Buffer.concat(fields.map(lp))).digest('hex');
    expect(computeEventHash(key, 'prev', base)).toBe(`h2:${expected}`);
    expect(isKeyedHash(computeEventHash(key, 'prev', base))).toBe(true);
    expect(isKeyedHash(computeLegacyEventHash('', 'T', {}, {}))).toBe(false);
  });

  it('changes when any covered column, the previous hash or the key changes', () => {
    const hash = computeEventHash(key, 'prev', base);
    const variants: [string, string][] = [
      ['key', computeEventHash(Buffer.alloc(32, 8), 'prev', base)],
      ['prev', computeEventHash(key, 'prev2', base)],
      ['streamId', computeEventHash(key, 'prev', { ...base, streamId: 'app-demo2' })],
      ['streamPosition', computeEventHash(key, 'prev', { ...base, streamPosition: 4 })],
      ['eventId', computeEventHash(key, 'prev', { ...base, eventId: '0b9d2a3e-8f6c-4a51-9d2e-3c1f6b7a8e91' })],
      ['type', computeEventHash(key, 'prev', { ...base, type: 'AppDeleted' })],
      ['data', computeEventHash(key, 'prev', { ...base, data: { a: 1, b: 3 } })],
      ['metadata', computeEventHash(key, 'prev', { ...base, metadata: { actor: 'mallory' } })],
      ['recordedAt', computeEventHash(key, 'prev', { ...base, recordedAt: new Date('2020-01-01T00:00:00.000Z') })],
    ];
    for (const [field, other] of variants) expect([field, other]).not.toEqual([field, hash]);
  });

  it('does not collide when text moves from one field to the next', () => {
    // Plain concatenation would give the same bytes for these splits of adjacent fields.
    expect(computeEventHash(key, 'ab', { ...base, streamId: 'c' })).not.toBe(computeEventHash(key, 'a', { ...base, streamId: 'bc' }));
    expect(computeEventHash(key, '', { ...base, data: {}, metadata: { a: 1 }, recordedAt: base.recordedAt })).not.toBe(computeEventHash(key, '', { ...base, data: { a: 1 }, metadata: {} }));
  });

  it('hashes data and metadata by content, not key order', () => {
    expect(computeEventHash(key, '', { ...base, data: { a: 1, b: 2 } })).toBe(computeEventHash(key, '', { ...base, data: { b: 2, a: 1 } }));
  });
});
