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

/** Parses and checks a feed message; throws an Error saying what is wrong when it is not one. */
export function parseFeedEvent(payload: Uint8Array): FeedEvent {
  const value: unknown = JSON.parse(new TextDecoder().decode(payload));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('feed message is not a JSON object');
  const e = value as Record<string, unknown>;
  const problems = [
    typeof e.eventId === 'string' && UUID.test(e.eventId) ? undefined : 'eventId',
    Number.isInteger(e.globalPosition) ? undefined : 'globalPosition',
    typeof e.streamId === 'string' ? undefined : 'streamId',
    Number.isInteger(e.streamPosition) ? undefined : 'streamPosition',
    typeof e.type === 'string' && e.type.length > 0 ? undefined : 'type',
    isObject(e.data) ? undefined : 'data',
    isObject(e.metadata) ? undefined : 'metadata',
    typeof e.recordedAt === 'string' ? undefined : 'recordedAt',
  ].filter((p) => p !== undefined);
  if (problems.length > 0) throw new Error(`feed message has missing or invalid ${problems.join(', ')}`);
  return e as unknown as FeedEvent;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isUuid(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}
