import { randomUUID } from 'node:crypto';
import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';

const NEST_PACKET_KEYS = new Set(['pattern', 'data', 'id', 'headers']);

/**
 * Accepts a plain JSON body (the DTO itself, as external publishers send it, DESIGN §7.3) or a Nest
 * packet `{ pattern, data, id }`. A message with a reply subject always gets an id, because Nest treats
 * a packet without one as an event and would never answer it.
 */
export class PlainJsonRequestDeserializer implements ConsumerDeserializer {
  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): IncomingRequest | IncomingEvent {
    const body = decodeJson(value);
    const id = options?.replyTo ? randomUUID() : undefined;
    if (isNestPacket(body)) return { pattern: body.pattern, data: body.data, ...(body.id || id ? { id: body.id ?? id } : {}) } as IncomingRequest;
    return { pattern: options?.channel, data: body, ...(id ? { id } : {}) } as IncomingRequest;
  }
}

/** Parses a message body; an empty body is `undefined`. Throws on malformed JSON. */
export function decodeJson(value: Uint8Array | undefined): unknown {
  if (!value || value.length === 0) return undefined;
  return JSON.parse(new TextDecoder().decode(value));
}

function isNestPacket(body: unknown): body is { pattern: string; data: unknown; id?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  const packet = body as Record<string, unknown>;
  return typeof packet.pattern === 'string' && 'data' in packet && keys.every((k) => NEST_PACKET_KEYS.has(k));
}
