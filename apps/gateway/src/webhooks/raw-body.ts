import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { HangarError } from '@hangar/contracts';
import { WebhookErrorCodes } from './webhook-errors';

/** The largest webhook body accepted: 1 MiB. A distribution batch of a few hundred events is ~0.4 MB. */
export const MAX_WEBHOOK_BODY_BYTES = 1_048_576;

function tooLarge(limit: number, what: string): HangarError {
  return new HangarError(WebhookErrorCodes.TOO_LARGE, `${what} is over the ${describeBytes(limit)} limit of a webhook delivery`, { limitBytes: limit });
}

function describeBytes(n: number): string {
  return n % 1_048_576 === 0 ? `${n / 1_048_576} MiB` : `${n}-byte`;
}

/** Refuses at once, reading nothing, a body whose declared `Content-Length` is over `limit`. */
export function checkDeclaredLength(headers: IncomingHttpHeaders, limit = MAX_WEBHOOK_BODY_BYTES): void {
  const declared = headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw tooLarge(limit, `Content-Length ${declared}`);
  }
}

/**
 * The whole body of `stream` (an HTTP request), never holding more than `limit` bytes: a declared
 * `Content-Length` over it fails before anything is read; otherwise the bytes are counted as they
 * arrive and the read fails (`WEBHOOK.TOO_LARGE`) the moment the count passes `limit`, dropping what
 * was held and draining the rest unbuffered until the response closes the connection. A sender that
 * stops before the end fails with `WEBHOOK.INCOMPLETE_BODY`.
 */
export function readRawBody(stream: Readable, headers: IncomingHttpHeaders = {}, limit = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  try {
    checkDeclaredLength(headers, limit);
  } catch (error) {
    return Promise.reject(error);
  }
  if (stream.readableEnded) return Promise.reject(new Error('the request body was consumed before the webhook endpoint read it'));
  // Gone while the receiver was looked up: no 'end' or 'close' would ever come.
  if (stream.destroyed) return Promise.reject(new HangarError(WebhookErrorCodes.INCOMPLETE_BODY, 'the sender closed the connection before the body was read'));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const detach = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) {
        detach();
        chunks.length = 0;
        // Nothing listens for data any more: resuming discards the rest instead of buffering it.
        stream.on('error', () => undefined);
        stream.resume();
        reject(tooLarge(limit, 'the body'));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      detach();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      detach();
      reject(new HangarError(WebhookErrorCodes.INCOMPLETE_BODY, `the body could not be read: ${error.message}`, undefined, { cause: error }));
    };
    const onClose = () => {
      detach();
      reject(new HangarError(WebhookErrorCodes.INCOMPLETE_BODY, `the sender closed the connection after ${received} bytes of the body`));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
