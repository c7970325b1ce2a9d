import { createHash, createHmac } from 'node:crypto';

/**
 * The JSON value as the store keeps it: what `JSON.stringify` would send (dates as ISO strings,
 * `undefined` members dropped), so that what is hashed is exactly what jsonb gives back later.
 */
export function normalizeJson<T>(value: T): T {
  const text = JSON.stringify(value);
  return (text === undefined ? null : JSON.parse(text)) as T;
}

/**
 * JSON with object keys sorted by UTF-16 code unit at every level and no whitespace. jsonb does not
 * keep key order, so a verifier reading an event back must sort to get the bytes that were hashed.
 */
export function canonicalJson(value: unknown): string {
  return write(normalizeJson(value));
}

function write(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key])}`).join(',')}}`;
}

/**
 * The legacy (v1, unkeyed) hash of one event: sha256 hex of
 * `prevHash + type + canonicalJson(data) + canonicalJson(metadata)`, where `prevHash` is the hash of
 * the previous event of the same stream, or `''` for its first event. Anyone who can write to the
 * database can recompute it; only rows stored before keyed hashing began carry it.
 */
export function computeLegacyEventHash(prevHash: string, type: string, data: unknown, metadata: unknown): string {
  return createHash('sha256')
    .update(prevHash)
    .update(type)
    .update(canonicalJson(data))
    .update(canonicalJson(metadata ?? {}))
    .digest('hex');
}

/** Every keyed (v2) hash starts with this; a hash without it is a legacy v1 hash. */
export const KEYED_HASH_PREFIX = 'h2:';

/** Domain separation: a v2 event MAC can never be mistaken for another MAC made with the same key. */
const EVENT_HASH_CONTEXT = 'hangar-event-hash-v2';

/** The stored columns a keyed event hash covers. */
export interface HashedEvent {
  streamId: string;
  /** 1-based. */
  streamPosition: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  /** Millisecond precision: the store writes exactly this instant to `recorded_at`. */
  recordedAt: Date;
}

/**
 * The keyed tamper-evidence hash of one event (DESIGN §3, G7): `h2:` + hex HMAC-SHA256 with the
 * audit key over the length-prefixed fields (4-byte big-endian UTF-8 byte length, then the bytes)
 * context, `prevHash`, stream id, stream position (decimal), event id, type, canonical data,
 * canonical metadata and `recordedAt` (ISO 8601, ms). Length prefixes keep two different field
 * splits from ever giving the same input; without the key nobody can recompute it.
 */
export function computeEventHash(key: Buffer, prevHash: string, event: HashedEvent): string {
  const mac = createHmac('sha256', key);
  const fields = [
    EVENT_HASH_CONTEXT,
    prevHash,
    event.streamId,
    String(event.streamPosition),
    event.eventId,
    event.type,
    canonicalJson(event.data),
    canonicalJson(event.metadata ?? {}),
    event.recordedAt.toISOString(),
  ];
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    mac.update(length).update(bytes);
  }
  return `${KEYED_HASH_PREFIX}${mac.digest('hex')}`;
}

/** Whether a stored hash is a keyed (v2) one. */
export function isKeyedHash(hash: string): boolean {
  return hash.startsWith(KEYED_HASH_PREFIX);
}
