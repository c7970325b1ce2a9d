import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { buildMinimalImage, writeTar } from './oci-image';

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Reads back name, size and content of each entry, checking every header checksum on the way. */
function readTar(tar: Buffer): Record<string, string> {
  const entries: Record<string, string> = {};
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const stored = parseInt(header.subarray(148, 156).toString('ascii'), 8);
    const sum = [...header].reduce((acc, b, i) => acc + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(stored).toBe(sum);
    expect(header.subarray(257, 263).toString('ascii')).toBe('ustar\0');
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii'), 8);
    entries[name] = tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe(buildMinimalImage.name, () => {
  it('builds a manifest whose descriptors and diff_id match the blobs', () => {
    const sut = buildMinimalImage({ files: { 'etc/app.conf': 'x=1\n' }, labels: { 'fly.version': '3' }, tagSeed: 'seed' });
    const manifest = JSON.parse(sut.manifest.bytes.toString('utf8'));
    const config = JSON.parse(sut.config.bytes.toString('utf8'));
    const layer = sut.layers[0]!;
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config).toEqual({ mediaType: sut.config.mediaType, digest: sha256(sut.config.bytes), size: sut.config.bytes.length });
    expect(manifest.layers).toEqual([{ mediaType: layer.mediaType, digest: sha256(layer.bytes), size: layer.bytes.length }]);
    expect(sut.manifest.digest).toBe(sha256(sut.manifest.bytes));
    const tar = gunzipSync(layer.bytes);
    expect(config.rootfs.diff_ids).toEqual([sha256(tar)]);
    expect(config.config.Labels).toEqual({ 'fly.version': '3' });
    expect(readTar(tar)).toEqual({ 'hello.txt': 'hello from hangar\n', 'etc/app.conf': 'x=1\n', '.hangar-seed': 'seed' });
  });

  it('is reproducible for a seed and distinct without one', () => {
    expect(buildMinimalImage({ tagSeed: 'a' }).manifest.digest).toBe(buildMinimalImage({ tagSeed: 'a' }).manifest.digest);
    expect(buildMinimalImage().manifest.digest).not.toBe(buildMinimalImage().manifest.digest);
  });
});

describe(writeTar.name, () => {
  it('pads content to 512-byte blocks and ends with two zero blocks', () => {
    const tar = writeTar({ 'a.txt': 'a'.repeat(600) });
    expect(tar.length).toBe(512 + 1024 + 1024);
    expect(readTar(tar)).toEqual({ 'a.txt': 'a'.repeat(600) });
  });

  it('refuses absolute and over-long paths', () => {
    expect(() => writeTar({ '/etc/x': '' })).toThrow(/relative/);
    expect(() => writeTar({ ['d/'.repeat(60)]: '' })).toThrow(/100 bytes/);
  });
});
