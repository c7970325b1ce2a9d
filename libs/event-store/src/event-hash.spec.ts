import { createHash } from 'node:crypto';
import { canonicalJson, computeEventHash } from './event-hash';

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

describe('computeEventHash', () => {
  it('is sha256 hex of prevHash + type + canonical data + canonical metadata', () => {
    const expected = createHash('sha256').update('abc' + 'AppCreated' + '{"a":1,"b":2}' + '{"actor":"me"}').digest('hex');
    expect(computeEventHash('abc', 'AppCreated', { b: 2, a: 1 }, { actor: 'me' })).toBe(expected);
  });

  it('changes when any input changes', () => {
    const base = computeEventHash('', 'T', { a: 1 }, {});
    expect(computeEventHash('x', 'T', { a: 1 }, {})).not.toBe(base);
    expect(computeEventHash('', 'U', { a: 1 }, {})).not.toBe(base);
    expect(computeEventHash('', 'T', { a: 2 }, {})).not.toBe(base);
    expect(computeEventHash('', 'T', { a: 1 }, { actor: 'x' })).not.toBe(base);
  });
});
