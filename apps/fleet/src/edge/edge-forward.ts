import { request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { EdgeRequestBody } from './edge-request-body';
import { parseAddress } from './edge-upstreams';

/** Headers of one connection only (RFC 9110 §7.6.1), never forwarded; `expect` was answered by the edge. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/** Errors before any response byte that mean the machine did not take the request (or a dead keep-alive socket). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNABORTED']);

/** How one attempt on one machine ended. */
export type ForwardOutcome =
  /** The response was passed on completely. */
  | { kind: 'completed' }
  /** The client went away; the upstream request was abandoned. */
  | { kind: 'aborted' }
  /** Nothing was answered: the caller may retry (the body permitting) or answer 502. */
  | { kind: 'unreachable'; code: string; reusedSocket: boolean }
  /** No response head within the timeout: the caller answers 504. */
  | { kind: 'timeout' }
  /** The machine failed otherwise: mid-response (the client's response was cut) or with an error other than not connecting. */
  | { kind: 'failed'; reason: string; responseStarted: boolean };

export interface ForwardAttempt {
  req: IncomingMessage;
  res: ServerResponse;
  address: string;
  agent: Agent;
  headers: OutgoingHttpHeaders;
  body: EdgeRequestBody;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

/** Headers for the machine: the client's minus hop-by-hop ones, plus the X-Forwarded-* set and the request id. */
export function upstreamHeaders(req: IncomingMessage, requestId: string, body: EdgeRequestBody): OutgoingHttpHeaders {
  const headers = withoutHopByHop(req.headers);
  const client = req.socket.remoteAddress ?? '';
  const forwardedFor = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${client}` : client;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  headers['x-request-id'] = requestId;
  if (body.kind === 'buffered') {
    if (body.data.length > 0 || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.data.length);
  } else if (req.headers['content-length'] === undefined) {
    headers['transfer-encoding'] = 'chunked';
  }
  return headers;
}

export function withoutHopByHop(source: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(source.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    headers[name] = value;
  }
  return headers;
}

/**
 * Sends the request to one machine and streams its response back. Settles once, when the machine is
 * done with the request (answered, unreachable, cut or abandoned), which is when its in-flight count drops.
 */
export function forwardOnce(attempt: ForwardAttempt): Promise<ForwardOutcome> {
  const { req, res, body } = attempt;
  const { host, port } = parseAddress(attempt.address);
  return new Promise((resolve) => {
    let settled = false;
    let responseStarted = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let responseTimer: NodeJS.Timeout | undefined;
    const upstream = request({ host, port, method: req.method, path: req.url, headers: attempt.headers, agent: attempt.agent });
    const settle = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      res.off('close', onClientClose);
      resolve(outcome);
    };
    const onClientClose = (): void => {
      if (res.writableFinished) return;
      settle({ kind: 'aborted' });
      upstream.destroy();
    };
    res.on('close', onClientClose);

    upstream.on('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), attempt.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    // The answer is awaited from the moment the whole request was sent: a slow upload is not the machine's delay.
    upstream.on('finish', () => {
      // A machine may answer before the upload ends (a 413, say): then there is nothing left to wait for.
      if (responseStarted || settled) return;
      responseTimer = setTimeout(() => {
        settle({ kind: 'timeout' });
        upstream.destroy();
      }, attempt.responseTimeoutMs);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'EUNKNOWN';
      if (responseStarted) {
        settle({ kind: 'failed', reason: code, responseStarted });
        res.destroy();
      } else if (UNREACHABLE_CODES.has(code)) {
        settle({ kind: 'unreachable', code, reusedSocket: upstream.reusedSocket });
      } else {
        settle({ kind: 'failed', reason: code, responseStarted });
      }
    });
    upstream.on('response', (answer) => {
      clearTimeout(responseTimer);
      if (settled) {
        answer.destroy();
        return;
      }
      responseStarted = true;
      relayResponse(answer, res, settle);
    });

    if (body.kind === 'buffered') {
      upstream.end(body.data);
    } else {
      for (const chunk of body.head) upstream.write(chunk);
      req.pipe(upstream);
    }
  });
}

function relayResponse(answer: IncomingMessage, res: ServerResponse, settle: (outcome: ForwardOutcome) => void): void {
  res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
  answer.on('close', () => {
    if (answer.complete) return;
    settle({ kind: 'failed', reason: 'upstream response cut', responseStarted: true });
    res.destroy();
  });
  answer.on('error', () => undefined);
  res.on('finish', () => settle({ kind: 'completed' }));
  answer.pipe(res);
}
