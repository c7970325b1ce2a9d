import { HangarError } from '@hangar/contracts';
import { imageIdFromDigest } from './image-id';

const digest = (hexChar: string): string => `sha256:${hexChar.repeat(64)}`;

describe(imageIdFromDigest.name, () => {
  it('is img_ plus 16 lower-case base32 characters', () => {
    expect(imageIdFromDigest(digest('a'))).toMatch(/^img_[0-9a-hjkmnp-tv-z]{16}$/);
  });

  it('renders the leading 80 bits of the digest, so it is stable across processes', () => {
    expect(imageIdFromDigest(`sha256:${'0'.repeat(64)}`)).toBe('img_0000000000000000');
    expect(imageIdFromDigest(`sha256:${'f'.repeat(64)}`)).toBe('img_zzzzzzzzzzzzzzzz');
    // 0x0123456789abcdef0123 in 5-bit groups: 0 4 17 20 10 25 28 9 21 15 6 30 30 0 9 3
    expect(imageIdFromDigest(`sha256:0123456789abcdef0123${'0'.repeat(44)}`)).toBe('img_04hmasw9nf6yy093');
  });

  it('gives the same id for the same digest and different ids for different digests', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const hex = (i * 2654435761).toString(16).padStart(20, '0').slice(-20);
      const d = `sha256:${hex}${'0'.repeat(44)}`;
      expect(imageIdFromDigest(d)).toBe(imageIdFromDigest(d));
      ids.add(imageIdFromDigest(d));
    }
    expect(ids.size).toBe(200);
    expect(imageIdFromDigest(`sha512:${'a'.repeat(128)}`)).toMatch(/^img_[0-9a-z]{16}$/);
  });

  it.each(['', 'sha256:xyz', 'nginx:latest', `sha1:${'a'.repeat(40)}`])('rejects %j with IMAGE.INVALID_DIGEST', (bad) => {
    expect(() => imageIdFromDigest(bad)).toThrow(HangarError);
    expect(() => imageIdFromDigest(bad)).toThrow(/cannot derive an image id/);
  });
});
