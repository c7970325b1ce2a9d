import { streams } from '@hangar/contracts';
import type { EventStore, StoredEvent } from '@hangar/event-store';

const TERMINAL = new Set(['ReleaseCompleted', 'ReleaseFailed', 'ReleaseCancelled']);
const POLL_MS = 100;

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
 * release ends or `signal` aborts. Reads the store, so a reconnecting client loses nothing.
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
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (opts.signal.aborted) return;
  }
}
