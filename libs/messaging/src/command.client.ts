import { commandSubject, ErrorCodes, HangarError, isErrorBody, type ServiceName } from '@hangar/contracts';
import type { NatsConnection } from 'nats';
import { decodeJson } from './plain-json.deserializer';
import { encodeJson } from './plain-json.serializer';

/**
 * Sends a command and waits for its answer over plain NATS request-reply (DESIGN §4 "Commands"). The
 * wire format is the one external publishers use: the DTO as JSON in, the result or an error body out.
 * No credential rides along: the receiving service knows the sender from NATS (`CommandAuthGuard`).
 */
export class CommandClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: string,
  ) {}

  /**
   * Sends `payload` to `<ns>.cmd.<service>.<command>` and returns the parsed reply.
   * Throws the reply's error as a `HangarError` (same code, message, details); `TRANSPORT.TIMEOUT`
   * after `timeoutMs` (default 10 000); `TRANSPORT.UNAVAILABLE` when no replica is listening.
   */
  async request<T>(service: ServiceName, command: string, payload: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
    const subject = commandSubject(this.ns, service, command);
    const timeout = opts.timeoutMs ?? 10_000;
    let reply: unknown;
    try {
      const msg = await this.nc.request(subject, encodeJson(payload), { timeout });
      reply = decodeJson(msg.data);
    } catch (err) {
      throw transportError(err, subject, timeout);
    }
    if (isErrorBody(reply)) throw new HangarError(reply.error.code, reply.error.message, reply.error.details);
    return reply as T;
  }
}

function transportError(err: unknown, subject: string, timeoutMs: number): HangarError {
  const code = (err as { code?: string }).code;
  if (code === '503') return new HangarError(ErrorCodes.UNAVAILABLE, `no service is answering ${subject}`, undefined, { cause: err });
  if (code === 'TIMEOUT') return new HangarError(ErrorCodes.TIMEOUT, `no answer on ${subject} within ${timeoutMs} ms`, undefined, { cause: err });
  if (err instanceof SyntaxError) return new HangarError(ErrorCodes.INTERNAL, `malformed reply on ${subject}`, undefined, { cause: err });
  return new HangarError(ErrorCodes.UNAVAILABLE, `request on ${subject} failed: ${(err as Error).message}`, undefined, { cause: err });
}
