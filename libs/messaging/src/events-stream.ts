import { eventsStreamName, eventsSubjectWildcard, type EventsStreamLimits } from '@hangar/contracts';
import { nanos, StorageType, type JetStreamManager, type StreamInfo } from 'nats';

/** How long JetStream remembers message ids to drop re-publishes (default 2 minutes). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** JetStream's "insufficient storage resources available": the server cannot reserve `max_bytes`. */
const INSUFFICIENT_STORAGE = 10047;

/**
 * Creates the event feed stream `<NS>_EVENTS` (subjects `<ns>.events.>`, file storage) when missing,
 * with `limits` when given (review M6): oldest messages are dropped past `maxAgeMs` or `maxBytes`. An
 * existing stream is brought to `limits` and otherwise left as it is, so an operator's other changes
 * (replicas, placement) survive restarts; every process of a namespace must be given the same limits.
 */
export async function ensureEventsStream(
  jsm: JetStreamManager,
  ns: string,
  opts: { duplicateWindowMs?: number; limits?: EventsStreamLimits } = {},
): Promise<StreamInfo> {
  const name = eventsStreamName(ns);
  const { limits } = opts;
  const withLimits = limits ? { max_age: nanos(limits.maxAgeMs), max_bytes: limits.maxBytes } : {};
  try {
    const info = await jsm.streams.info(name);
    if (!limits || (info.config.max_age === withLimits.max_age && info.config.max_bytes === withLimits.max_bytes)) return info;
    return await jsm.streams.update(name, { ...info.config, ...withLimits }).catch((err: unknown) => Promise.reject(explained(err, name, limits)));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    return await jsm.streams.add({
      name,
      subjects: [eventsSubjectWildcard(ns)],
      storage: StorageType.File,
      duplicate_window: nanos(opts.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
      ...withLimits,
    });
  } catch (err) {
    // Another process created it between our info and add.
    return jsm.streams.info(name).catch(() => Promise.reject(explained(err, name, limits)));
  }
}

/** A reservation the server refused, as an error naming the variable to change; anything else as it was. */
function explained(err: unknown, stream: string, limits: EventsStreamLimits | undefined): unknown {
  const code = (err as { api_error?: { err_code?: number } }).api_error?.err_code;
  if (code !== INSUFFICIENT_STORAGE || !limits) return err;
  return new Error(`HANGAR_STREAM_MAX_BYTES: NATS cannot reserve ${limits.maxBytes} bytes of file storage for ${stream}; lower it or give the server more JetStream storage`, { cause: err });
}

/** JetStream API error "stream not found" (10059) or "consumer not found" (10014). */
export function isNotFound(err: unknown): boolean {
  const apiErr = (err as { api_error?: { err_code?: number; code?: number } }).api_error;
  return apiErr?.err_code === 10059 || apiErr?.err_code === 10014 || apiErr?.code === 404;
}
