import { request, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { upstreamHeaders } from './edge-forward';
import { parseAddress } from './edge-upstreams';

/** A refused upgrade's body is passed on up to this size; a larger one is cut (the connection closes anyway). */
const REFUSAL_BODY_BYTES = 64 * 1024;

/** How one upgrade attempt (WebSocket and any other `Connection: Upgrade`) on one machine ended. */
export type UpgradeOutcome =
  /** The machine switched protocols: the two sockets are joined until either side closes. */
  | { kind: 'upgraded'; tunnel: Duplex }
  /** The machine answered without upgrading (401, 404, …): its answer was passed on and the client's connection closed. */
  | { kind: 'answered'; status: number }
  /** Nothing was answered: the caller may try another machine or answer 502. */
  | { kind: 'unreachable'; code: string }
  /** The client went away first. */
  | { kind: 'aborted' };

export interface UpgradeAttempt {
  req: IncomingMessage;
  socket: Duplex;
  /** Bytes the client sent after its request head (the first frames). */
  head: Buffer;
  address: string;
  requestId: string;
  /** From connecting to the upstream's answer head, ms. */
  timeoutMs: number;
}

/**
 * Forwards an upgrade request (a WebSocket handshake) to one machine over a connection of its own
 * (never a pooled keep-alive one) and, when the machine answers 101, joins the client's socket to it.
 */
export function forwardUpgrade(attempt: UpgradeAttempt): Promise<UpgradeOutcome> {
  const { req, socket, head } = attempt;
  const { host, port } = parseAddress(attempt.address);
  const headers = upstreamHeaders(req, attempt.requestId, { kind: 'buffered', data: Buffer.alloc(0) });
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade ?? '';
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: UpgradeOutcome): void => {
      if (settled) return;
      settled = true;
      socket.off('close', onClientGone);
      resolve(outcome);
    };
    const upstream = request({ host, port, method: req.method, path: req.url, headers, agent: false, timeout: attempt.timeoutMs });
    const onClientGone = (): void => {
      upstream.destroy();
      settle({ kind: 'aborted' });
    };
    socket.once('close', onClientGone);
    upstream.once('timeout', () => upstream.destroy(Object.assign(new Error('no answer to the upgrade'), { code: 'ETIMEDOUT' })));
    upstream.once('error', (error: NodeJS.ErrnoException) => settle({ kind: 'unreachable', code: error.code ?? error.message }));
    upstream.once('upgrade', (res: IncomingMessage, tunnel: Duplex, upstreamHead: Buffer) => {
      if (settled) return tunnel.destroy();
      upstream.setTimeout(0);
      socket.write(responseHead(res));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) tunnel.write(head);
      const close = (): void => {
        tunnel.destroy();
        socket.destroy();
      };
      for (const side of [tunnel, socket]) {
        side.once('error', close);
        side.once('close', close);
      }
      tunnel.pipe(socket);
      socket.pipe(tunnel);
      settle({ kind: 'upgraded', tunnel });
    });
    upstream.once('response', (res: IncomingMessage) => {
      upstream.setTimeout(0);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= REFUSAL_BODY_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      res.once('end', () => {
        const body = Buffer.concat(chunks).subarray(0, REFUSAL_BODY_BYTES);
        socket.end(Buffer.concat([Buffer.from(responseHead(res, body.length)), body]));
        settle({ kind: 'answered', status: res.statusCode ?? 502 });
      });
      res.once('error', () => {
        socket.destroy();
        settle({ kind: 'answered', status: res.statusCode ?? 502 });
      });
    });
    upstream.end();
  });
}

/** An answer the edge gives itself on a raw (not yet upgraded) client socket, then closes it. */
export function rawReply(socket: Duplex, status: number, text: string, extra: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, 'content-type: text/plain; charset=utf-8', `content-length: ${Buffer.byteLength(text)}`, 'connection: close'];
  for (const [name, value] of Object.entries(extra)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

/**
 * The machine's status line and headers as it sent them; for a refused upgrade with its body re-framed
 * by length (the body was read decoded) and the connection marked to close.
 */
function responseHead(res: IncomingMessage, bodyLength?: number): string {
  const lines = [`HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}`];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (bodyLength !== undefined && ['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name.toLowerCase())) continue;
    lines.push(`${name}: ${raw[i + 1]}`);
  }
  if (bodyLength !== undefined) lines.push(`content-length: ${bodyLength}`, 'connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}
