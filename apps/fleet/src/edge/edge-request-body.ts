import type { IncomingMessage } from 'node:http';

/**
 * A request body as the edge holds it: `buffered` can be sent again on a retry; `streamed` is piped
 * once, after the `head` already read, so a body over the limit is never held in memory whole.
 */
export type EdgeRequestBody = { kind: 'buffered'; data: Buffer } | { kind: 'streamed'; head: Buffer[] };

/**
 * Reads the body of `req` up to `limit` bytes. Resolves undefined when the client went away first.
 * A body announced larger than the limit is not read at all.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<EdgeRequestBody | undefined> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve({ kind: 'buffered', data: Buffer.alloc(0) });
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'streamed', head: [] });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: EdgeRequestBody | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'streamed', head: chunks });
      }
    };
    const onEnd = (): void => finish({ kind: 'buffered', data: Buffer.concat(chunks, size) });
    const onClose = (): void => finish(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
