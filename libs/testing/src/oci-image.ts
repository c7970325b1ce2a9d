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
  return assembleImage([tarLayer(writeTar(files))], { Cmd: options.cmd ?? ['/bin/sh'], ...(options.labels ? { Labels: options.labels } : {}) });
}

/** A gzip'd layer blob and its `diff_id` (the digest of the uncompressed tar). */
export interface OciLayer {
  readonly blob: OciBlob;
  readonly diffId: string;
}

/** Compresses an uncompressed tar into a layer. */
export function tarLayer(tar: Buffer): OciLayer {
  return { blob: blob(OCI_LAYER_MEDIA_TYPE, gzipSync(tar)), diffId: sha256(tar) };
}

/** A linux/amd64 image of `layers` (bottom first) whose config's `config` object is `containerConfig`. */
export function assembleImage(layers: readonly OciLayer[], containerConfig: Readonly<Record<string, unknown>>): OciImage {
  const config = blob(
    OCI_CONFIG_MEDIA_TYPE,
    json({ architecture: 'amd64', os: 'linux', config: containerConfig, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }),
  );
  const manifest = blob(
    OCI_MANIFEST_MEDIA_TYPE,
    json({ schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, config: descriptor(config), layers: layers.map((l) => descriptor(l.blob)) }),
  );
  return { manifest, config, layers: layers.map((l) => l.blob) };
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

/** One entry of a tar layer; `mode` is the permission bits (default 0644 for files, 0755 for directories). */
export type TarEntry =
  | { readonly type: 'file'; readonly path: string; readonly content: string | Buffer; readonly mode?: number }
  | { readonly type: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

/** A ustar archive of regular files (mode 0644, uid/gid 0, mtime 0 so the bytes are reproducible). */
export function writeTar(files: Readonly<Record<string, string>>): Buffer {
  return writeTarEntries(Object.entries(files).map(([path, content]) => ({ type: 'file', path, content })));
}

/** A ustar archive of `entries` in order (uid/gid 0, mtime 0 so the bytes are reproducible). */
export function writeTarEntries(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.type === 'file') {
      const data = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
      parts.push(tarHeader(entry.path, { typeflag: '0', mode: entry.mode ?? 0o644, size: data.length }), data);
      parts.push(Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
    } else if (entry.type === 'dir') {
      parts.push(tarHeader(entry.path.endsWith('/') ? entry.path : `${entry.path}/`, { typeflag: '5', mode: entry.mode ?? 0o755, size: 0 }));
    } else {
      parts.push(tarHeader(entry.path, { typeflag: '2', mode: 0o777, size: 0, linkname: entry.target }));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

interface HeaderFields {
  readonly typeflag: '0' | '2' | '5';
  readonly mode: number;
  readonly size: number;
  readonly linkname?: string;
}

function tarHeader(path: string, fields: HeaderFields): Buffer {
  checkTarName(path, 'path');
  if (fields.linkname !== undefined) checkTarName(fields.linkname, 'link target', true);
  const header = Buffer.alloc(BLOCK);
  const octal = (value: number, width: number): string => `${value.toString(8).padStart(width - 1, '0')}\0`;
  header.write(path, 0, 100, 'utf8');
  header.write(octal(fields.mode, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(fields.size, 12), 124, 'ascii');
  header.write(octal(0, 12), 136, 'ascii');
  header.write(' '.repeat(8), 148, 'ascii');
  header.write(fields.typeflag, 156, 'ascii');
  if (fields.linkname !== undefined) header.write(fields.linkname, 157, 100, 'utf8');
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

function checkTarName(name: string, what: string, absoluteAllowed = false): void {
  if (Buffer.byteLength(name) > 100 || (!absoluteAllowed && name.startsWith('/')) || name.length === 0) {
    throw new Error(`tar ${what} '${name}' must be ${absoluteAllowed ? '' : 'relative, '}non-empty and at most 100 bytes`);
  }
}
