/** Retry settings of {@link HttpMachinesApi}. */
export interface RetryOptions {
  /** Total tries including the first; default 5. */
  attempts: number;
  /** Delay before the first retry, in ms; doubles per retry; default 100. */
  baseDelayMs: number;
  /** Upper bound of one delay, in ms; default 2000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 100, maxDelayMs: 2000 };

/**
 * Which failures a call may retry without risking a second effect:
 * - `idempotent`: GETs, wait, lease release/refresh, destroy, start/stop/cordon, metadata: 408, 429, 5xx, transport;
 * - `keyed`: a create carrying an idempotency key: same as idempotent;
 * - `update`: 429 and 503, answers that mean the request was turned away before it ran;
 * - `once`: only 429 (a create without a key, a lease acquire, a volume create).
 */
export type RetryClass = 'idempotent' | 'keyed' | 'update' | 'once';

/** An attempt's outcome: an HTTP status, or `transport` when no response arrived (reset, refused, timeout). */
export type AttemptFailure = number | 'transport';

export function isRetryable(retryClass: RetryClass, failure: AttemptFailure): boolean {
  if (failure === 429) return true;
  switch (retryClass) {
    case 'idempotent':
    case 'keyed':
      return failure === 'transport' || failure === 408 || failure >= 500;
    case 'update':
      return failure === 503;
    case 'once':
      return false;
    default: {
      const never: never = retryClass;
      return never;
    }
  }
}

/**
 * Delay before retry number `retry` (1-based): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so that many callers retrying at once
 * spread out but never retry sooner than half the nominal delay. A `Retry-After` the server sent wins
 * when it is longer, still capped.
 */
export function backoffDelay(retry: number, opts: RetryOptions, random: () => number = Math.random, retryAfterMs?: number): number {
  const nominal = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = nominal / 2 + (random() * nominal) / 2;
  const wanted = retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
  return Math.round(Math.min(opts.maxDelayMs, wanted));
}

/** `Retry-After` in ms: either delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
