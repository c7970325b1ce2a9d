import { authorizedDigest, clampPushedAt, PUSHED_AT_SKEW_MS } from './push-authorization';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const push = { host: 'ghcr.io', repository: 'acme/web', tag: 'v10' };

describe(clampPushedAt.name, () => {
  const receivedAt = new Date('2026-11-26T10:00:00.000Z');

  it('clamps a time further in the future than the skew tolerance to the receipt time', () => {
    expect(clampPushedAt(new Date('2099-01-01T00:00:00Z'), receivedAt)).toEqual(receivedAt);
    expect(clampPushedAt(new Date(receivedAt.getTime() + PUSHED_AT_SKEW_MS + 1), receivedAt)).toEqual(receivedAt);
  });

  it('keeps past times and times within the skew tolerance', () => {
    const past = new Date('2026-11-26T09:00:00.000Z');
    expect(clampPushedAt(past, receivedAt)).toBe(past);
    const skewed = new Date(receivedAt.getTime() + PUSHED_AT_SKEW_MS);
    expect(clampPushedAt(skewed, receivedAt)).toBe(skewed);
  });
});

describe(authorizedDigest.name, () => {
  it('deploys a named digest only when the registry resolves the tag to it', () => {
    expect(authorizedDigest({ ...push, digest: D1 }, { digest: D1 })).toEqual({ digest: D1 });
    expect(authorizedDigest({ ...push, digest: D1 }, { digest: D2 })).toEqual({
      skip: `digest does not match tag: v10 is ${D2} at the registry, the push said ${D1}`,
    });
  });

  it('deploys what the registry resolves for a push without a digest', () => {
    expect(authorizedDigest(push, { digest: D2 })).toEqual({ digest: D2 });
  });

  it('skips when the tag cannot be resolved, saying whether the digest was unknown or unverified', () => {
    expect(authorizedDigest({ ...push, digest: D1 }, { failure: 'not found' })).toEqual({ skip: `digest unverified: resolving ghcr.io/acme/web:v10 to check ${D1} failed: not found` });
    expect(authorizedDigest(push, { failure: 'not found' })).toEqual({ skip: 'digest unknown: the push named none and resolving ghcr.io/acme/web:v10 failed: not found' });
  });
});
