import { streams } from '@hangar/contracts';
import type { EventStore, StoredEvent } from '@hangar/event-store';

const TERMINAL = new Set(['ReleaseCompleted', 'ReleaseFailed', 'ReleaseCancelled']);
/** With no append in this long, a follower reads its stream anyway (a lost NOTIFY, a store without one), ms. */
const FALLBACK_POLL_MS = 2000;

/** The event feed's JSON shape (DESIGN §7.3). */
export function toFeedJson(e: StoredEvent): Record<string, unknown> {
  return {
    eventId: e.eventId,
    globalPosition: e.globalPosition,
    streamId: e.streamId,
    streamPosition: e.streamPosition,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt.toISOString(),
  };
}

/**
 * Yields a release's events from the store in order; with `follow`, keeps reading until the
 * release ends or `signal` aborts. Reads the store, so a reconnecting client loses nothing. Between
 * reads it waits for the store's next append (LISTEN/NOTIFY), or `FALLBACK_POLL_MS`, so a follower of
 * a queued release costs a read every two seconds, not ten a second (review M6).
 */
export async function* releaseEvents(store: EventStore, releaseId: string, opts: { follow: boolean; from?: number; signal: AbortSignal }): AsyncGenerator<StoredEvent> {
  let position = opts.from ?? 0;
  for (;;) {
    const batch = await store.readStream(streams.release(releaseId), { from: position + 1 });
    // Events written with the terminal one (an automatic rollback's note) are part of its story.
    let ended = false;
    for (const e of batch) {
      position = e.streamPosition;
      yield e;
      if (TERMINAL.has(e.type)) ended = true;
    }
    if (ended) return;
    if (!opts.follow || opts.signal.aborted) return;
    await nextAppend(store, FALLBACK_POLL_MS, opts.signal);
    if (opts.signal.aborted) return;
  }
}

/** Resolves on the store's next append, after `ms`, or when `signal` aborts, whichever comes first. */
function nextAppend(store: EventStore, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | undefined;
    const done = () => {
      clearTimeout(timer);
      unsubscribe?.();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    unsubscribe = store.onAppended?.(done);
  });
}
