import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { OpsEndpoint } from '@hangar/contracts';

/** What a readiness probe checked, each `ok` or `error` (never why: that is logged, review L3). */
export type ReadinessChecks = Record<string, 'ok' | 'error'>;

export interface OpsServerOptions {
  endpoint: OpsEndpoint;
  /** The service name, for the log line. */
  service: string;
  /** Runs the readiness checks; the probe answers 200 only when every one is `ok`. */
  ready(): Promise<ReadinessChecks>;
  /** The Prometheus text of a scrape. */
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface OpsServer {
  /** `http://host:port`, with the port bound (`HANGAR_OPS_PORT=0` picks a free one). */
  url: string;
  close(): Promise<void>;
}

/**
 * A replica's operations port (`HANGAR_OPS_PORT`, DESIGN §7.2): `GET /healthz` (the process
 * answers), `GET /readyz` (200 when connected to Postgres and NATS and subscribed, else 503 naming
 * what is not) and `GET /metrics` (Prometheus). Unauthenticated like the gateway's probes, so it
 * answers nothing but those three and says nothing about the failures but their names; it binds to
 * loopback unless `HANGAR_OPS_HOST` says otherwise.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const logger = new Logger(`${options.service} ops`);
  const server: Server = createServer((req, res) => {
    void answer(req, res, options).catch((error: unknown) => {
      logger.warn(`ops ${req.url ?? ''}: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, { status: 'error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.endpoint.port, options.endpoint.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.endpoint.host.includes(':') ? `[${options.endpoint.host}]` : options.endpoint.host}:${port}`;
  logger.log(`probes and metrics on ${url} (/healthz, /readyz, /metrics)`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, options: OpsServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, { status: 'error', message: `${req.method ?? ''} is not allowed here; the ops port answers GET /healthz, /readyz and /metrics` });
  }
  switch (path) {
    case '/healthz':
      return send(res, 200, { status: 'ok' });
    case '/readyz': {
      const checks = await options.ready();
      const ready = Object.values(checks).every((v) => v === 'ok');
      return send(res, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks });
    }
    case '/metrics': {
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'Content-Type': contentType });
      res.end(body);
      return;
    }
    default:
      return send(res, 404, { status: 'error', message: `no route ${path}; the ops port answers /healthz, /readyz and /metrics` });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Resolves `check` to `ok`, or `error` when it throws or takes longer than `timeoutMs`. */
export async function probe(check: () => Promise<unknown>, onError: (error: Error) => void, timeoutMs = 2000): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (error) {
    onError(error as Error);
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}
