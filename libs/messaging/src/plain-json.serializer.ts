import type { ConsumerSerializer, OutgoingResponse } from '@nestjs/microservices';
import { toErrorBody } from './rpc-error.filter';

/**
 * Replies with plain JSON (DESIGN §7.3): the handler's return value, or `{ error: { code, message,
 * details } }`, never Nest's `{ id, response, isDisposed }` envelope, so any NATS client can read it.
 */
export class PlainJsonSerializer implements ConsumerSerializer {
  serialize(packet: OutgoingResponse): { data: Uint8Array; headers?: undefined } {
    const body = packet.err !== undefined && packet.err !== null ? toErrorBody(packet.err) : (packet.response ?? null);
    return { data: encodeJson(body) };
  }
}

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value ?? null));
}
