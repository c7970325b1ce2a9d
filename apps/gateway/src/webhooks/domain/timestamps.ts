import { quote } from './image-name';
import { WebhookPayloadError } from './webhook-delivery';

/** RFC 3339 with any number of fractional digits (distribution sends nanoseconds, ACR seven digits). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
/** JavaScript dates end at ±8.64e15 ms; anything outside is not a push time. */
const MAX_EPOCH_MS = 8.64e15;

/** An RFC 3339 time at `path` as ISO-8601 UTC (millisecond precision). */
export function rfc3339At(value: string, path: string): string {
  const time = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new WebhookPayloadError(path, `${path} ${quote(value)} is not an RFC 3339 time`);
  return new Date(time).toISOString();
}

/** Epoch seconds at `path` (an integer or a float such as Docker Hub's `1.417566161e+09`) as ISO-8601 UTC. */
export function epochSecondsAt(value: number, path: string): string {
  const ms = value * 1000;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_EPOCH_MS) {
    throw new WebhookPayloadError(path, `${path} ${value} is not a time in epoch seconds`);
  }
  return new Date(Math.round(ms)).toISOString();
}

/**
 * GitHub's placeholder for "no time" (`0001-01-01T00:00:00Z`), which must not become a push time:
 * it would make the push look older than every other.
 */
export function isZeroTime(value: string): boolean {
  return value.startsWith('0001-01-01');
}
