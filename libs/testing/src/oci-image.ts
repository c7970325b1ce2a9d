import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Content-addressed bytes as the distribution API moves them. */
export interface OciBlob {
  readonly mediaType: string;
  /** `sha256:<hex>` of `bytes`. */
  readonly digest: string;
  readonly size: number;
  readonly bytes: Buffer;
}

/** A single-layer OCI image held in memory; `manifest.digest` is what a registry reports for it. */
export interface OciImage {
  readonly manifest: OciBlob;
  readonly config: OciBlob;
  readonly layers: readonly OciBlob[];
}

export interface MinimalImageOptions {
  /** Regular files of the one layer, path (≤ 100 bytes, no leading `/`) → UTF-8 content. */
  readonly files?: Readonly<Record<string, string>>;
  /** `config.Labels` of the image config. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Written into the layer, so distinct seeds give distinct digests. Default: a random UUID. */
  readonly tagSeed?: string;
  /** `config.Cmd`. Default `["/bin/sh"]`. */
  readonly cmd?: readonly string[];
}

/**
 * Builds a minimal linux/amd64 OCI image in memory: one gzip'd tar layer, a config and an OCI image
 * manifest. Unique per call unless `tagSeed` is given; the same options and seed give the same digest.
 */
export function buildMinimalImage(options: MinimalImageOptions = {}): OciImage {
  const files = { 'hello.txt': 'hello from hangar\n', ...options.files, '.hangar-seed': options.tagSeed ?? randomUUID() };
  const tar = writeTar(files);
  const layer = blob(OCI_LAYER_MEDIA_TYPE, gzipSync(tar));
  const config = blob(
    OCI_CONFIG_MEDIA_TYPE,
    json({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: options.cmd ?? ['/bin/sh'], ...(options.labels ? { Labels: options.labels } : {}) },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    }),
  );
  const manifest = blob(
    OCI_MANIFEST_MEDIA_TYPE,
    json({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      config: descriptor(config),
      layers: [descriptor(layer)],
    }),
  );
  return { manifest, config, layers: [layer] };
}

function blob(mediaType: string, bytes: Buffer): OciBlob {
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes };
}

function descriptor({ mediaType, digest, size }: OciBlob): { mediaType: string; digest: string; size: number } {
  return { mediaType, digest, size };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

const BLOCK = 512;

/** A ustar archive of regular files (mode 0644, uid/gid 0, mtime 0 so the bytes are reproducible). */
export function writeTar(files: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    parts.push(tarHeader(path, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function tarHeader(path: string, size: number): Buffer {
  if (Buffer.byteLength(path) > 100 || path.startsWith('/') || path.length === 0) {
    throw new Error(`tar path '${path}' must be relative, non-empty and at most 100 bytes`);
  }
  const header = Buffer.alloc(BLOCK);
  const octal = (value: number, width: number): string => `${value.toString(8).padStart(width - 1, '0')}\0`;
  header.write(path, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(0, 12), 136, 'ascii');
  header.write(' '.repeat(8), 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('root', 265, 'ascii');
  header.write('root', 297, 'ascii');
  // The checksum is the byte sum of the header with its own field read as spaces.
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}
