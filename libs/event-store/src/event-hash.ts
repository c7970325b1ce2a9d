import { createHash } from 'node:crypto';

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
 * The tamper-evidence hash of one event (DESIGN §3, G7): sha256 hex of
 * `prevHash + type + canonicalJson(data) + canonicalJson(metadata)`, where `prevHash` is the hash of
 * the previous event of the same stream, or `''` for its first event.
 */
export function computeEventHash(prevHash: string, type: string, data: unknown, metadata: unknown): string {
  return createHash('sha256')
    .update(prevHash)
    .update(type)
    .update(canonicalJson(data))
    .update(canonicalJson(metadata ?? {}))
    .digest('hex');
}
