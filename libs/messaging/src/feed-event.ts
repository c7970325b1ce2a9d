import { eventSubject } from '@hangar/contracts';
import type { EventMetadata, StoredEvent } from '@hangar/event-store';

/** One message of the public event feed (DESIGN §7.3): the JSON body of every JetStream event message. */
export interface FeedEvent<T extends string = string, D = Record<string, unknown>> {
  eventId: string;
  globalPosition: number;
  streamId: string;
  streamPosition: number;
  type: T;
  data: D;
  metadata: EventMetadata;
  /** ISO 8601. */
  recordedAt: string;
}

export function toFeedEvent(event: StoredEvent): FeedEvent {
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition,
    streamId: event.streamId,
    streamPosition: event.streamPosition,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subject the relay publishes a stored event on: `<ns>.events.<app or _>.<Type>`. */
export function feedSubject(ns: string, event: Pick<StoredEvent, 'type' | 'data'>): string {
  return eventSubject(ns, typeof event.data.app === 'string' ? event.data.app : undefined, event.type);
}

/**
 * The event id a feed message names, and nothing else of it: a feed message is a notification, and
 * a consumer acts on the event the store holds under that id (DESIGN §4 "Trust"). Throws an Error
 * saying what is wrong when the message names no event.
 */
export function feedMessageEventId(payload: Uint8Array): string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new Error('feed message is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('feed message is not a JSON object');
  const { eventId } = value as { eventId?: unknown };
  if (typeof eventId !== 'string' || !UUID.test(eventId)) throw new Error('feed message has a missing or invalid eventId');
  return eventId;
}

export function isUuid(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}
