import type { ExpectedVersion } from './event-store.types';

/**
 * An append whose expected version did not match the stream: another writer got there first.
 * Callers re-read the stream, decide again and retry a bounded number of times (`retryOnConflict`).
 */
export class StreamVersionConflictError extends Error {
  readonly code = 'EVENTSTORE.STREAM_VERSION_CONFLICT';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's position when the conflict was seen; `undefined` when a concurrent insert was caught by the unique index inside a caller's transaction. */
    readonly actual: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${actual === undefined ? 'unknown' : actual}`, options);
    this.name = 'StreamVersionConflictError';
  }
}

export function isStreamVersionConflict(err: unknown): err is StreamVersionConflictError {
  return err instanceof StreamVersionConflictError;
}

/**
 * Runs `fn` again while it fails with a `StreamVersionConflictError`, up to `attempts` times in all
 * (default 5), then rethrows the last conflict. `fn` must re-read the stream on each call, otherwise
 * it will conflict the same way every time.
 */
export async function retryOnConflict<T>(fn: (attempt: number) => Promise<T>, opts: { attempts?: number } = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isStreamVersionConflict(err) || attempt >= attempts) throw err;
    }
  }
}
