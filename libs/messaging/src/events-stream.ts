import { eventsStreamName, eventsSubjectWildcard } from '@hangar/contracts';
import { nanos, StorageType, type JetStreamManager, type StreamInfo } from 'nats';

/** How long JetStream remembers message ids to drop re-publishes (default 2 minutes). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/**
 * Creates the event feed stream `<NS>_EVENTS` (subjects `<ns>.events.>`, file storage) when missing.
 * An existing stream is left as it is, so an operator's changes (limits, replicas) survive restarts.
 */
export async function ensureEventsStream(
  jsm: JetStreamManager,
  ns: string,
  opts: { duplicateWindowMs?: number } = {},
): Promise<StreamInfo> {
  const name = eventsStreamName(ns);
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    return await jsm.streams.add({
      name,
      subjects: [eventsSubjectWildcard(ns)],
      storage: StorageType.File,
      duplicate_window: nanos(opts.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    });
  } catch (err) {
    // Another process created it between our info and add.
    return jsm.streams.info(name).catch(() => Promise.reject(err));
  }
}

/** JetStream API error "stream not found" (10059) or "consumer not found" (10014). */
export function isNotFound(err: unknown): boolean {
  const apiErr = (err as { api_error?: { err_code?: number; code?: number } }).api_error;
  return apiErr?.err_code === 10059 || apiErr?.err_code === 10014 || apiErr?.code === 404;
}
