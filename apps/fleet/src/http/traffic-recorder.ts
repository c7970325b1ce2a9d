import { appendFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';

/** One exchange as the contract test reads it (`HANGAR_FLEET_RECORD`). */
export interface RecordedExchange {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  /** The `Authorization` scheme only (`Bearer`, `FlyV1`), never the token; whether a nonce or idempotency header came. */
  request: { authScheme?: string; leaseNonce: boolean; idempotencyKey: boolean; body?: unknown };
  status: number;
  response: { retryAfter?: string; body?: unknown };
}

const REDACTED = '[REDACTED]';

/**
 * Express middleware appending every request but `/healthz` (the Machines API under `/v1` and fleet's
 * own `/fleet/v1`) and fleet's answer to `file` as NDJSON. Env values
 * (the app's secrets) are replaced by a placeholder, and no token is written: only its scheme.
 */
export function trafficRecorder(file: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/healthz') return next();
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunks, chunk);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunks, chunk);
      return end(chunk, ...rest);
    }) as Response['end'];
    res.on('finish', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const exchange: RecordedExchange = {
        method: req.method,
        path: req.path,
        query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
        request: {
          ...(req.headers.authorization ? { authScheme: req.headers.authorization.split(' ', 1)[0] } : {}),
          leaseNonce: req.headers['fly-machine-lease-nonce'] !== undefined,
          idempotencyKey: req.headers['idempotency-key'] !== undefined,
          ...(req.body !== undefined && /json/.test(req.headers['content-type'] ?? '') ? { body: redact(req.body) } : {}),
        },
        status: res.statusCode,
        response: {
          ...(res.getHeader('retry-after') !== undefined ? { retryAfter: String(res.getHeader('retry-after')) } : {}),
          ...(text === '' ? {} : { body: redact(parse(text)) }),
        },
      };
      appendFileSync(file, `${JSON.stringify(exchange)}\n`);
    });
    next();
  };
}

function collect(chunks: Buffer[], chunk: unknown): void {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
  chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every `env` object's values (machine config env: the app's secrets) replaced, keys kept. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      k === 'env' && v !== null && typeof v === 'object' && !Array.isArray(v)
        ? [k, Object.fromEntries(Object.keys(v as object).map((name) => [name, REDACTED]))]
        : [k, redact(v)],
    ),
  );
}
