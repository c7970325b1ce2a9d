import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgeBalancer, type MachineLoad } from './edge-balancer';
import { forwardOnce, upstreamHeaders, type ForwardOutcome } from './edge-forward';
import { appFromHost } from './edge-host';
import { readRequestBody, type EdgeRequestBody } from './edge-request-body';
import type { EdgeTarget, EdgeTargetSource } from './edge-target';
import { UpstreamAgents } from './edge-upstreams';

export interface EdgeProxyOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Further attempts on another machine after one could not be reached; default 1. */
  retries?: number;
  /** Largest request body held for a retry, bytes; default 1 MiB. A larger one is streamed, never retried. */
  replayableBodyBytes?: number;
  /** How long an app's target list is reused, ms; default 250. */
  refreshMs?: number;
  /** Connecting to a machine longer than this counts as unreachable, ms; default 3 000. */
  connectTimeoutMs?: number;
  /** From the request sent to the response head, ms; past it the client gets 504. Default 60 000. */
  responseTimeoutMs?: number;
  /** `drain` gives up waiting after this long by default, ms; default 30 000. */
  drainTimeoutMs?: number;
  /** An idle keep-alive socket to a machine is closed after this long, ms; default 4 000 (below common upstream timeouts of 5 s). */
  upstreamIdleMs?: number;
  /** An idle client connection is kept this long, ms; default 30 000. */
  clientKeepAliveMs?: number;
  /** `Retry-After` on a 503 for an app with no machine, seconds; default 1. */
  retryAfterSeconds?: number;
  /** Request ids (`X-Request-Id` to the machine and the client); default time-ordered random ones. */
  requestId?: () => string;
  /** Default `Date.now`. */
  now?: () => number;
}

/** What `stats()` reports; request counts are per client request, machine counts per attempt. */
export interface EdgeStats {
  requests: number;
  /** Answered by a machine, completely. */
  completed: number;
  /** Answered 502 or 504 by the edge, or cut mid-response. */
  failed: number;
  /** Attempts repeated on another machine (or a fresh connection) after one was unreachable. */
  retries: number;
  /** 404: the Host header names no app. */
  notFound: number;
  /** 503: the app had no machine to take the request. */
  unavailable: number;
  /** The client went away before its response was complete. */
  aborted: number;
  machines: Record<string, MachineLoad>;
  drained: string[];
  /** Sockets to each machine held by the edge's keep-alive agents. */
  upstreamSockets: Record<string, number>;
}

type Counter = Exclude<keyof EdgeStats, 'machines' | 'drained' | 'upstreamSockets'>;

/**
 * The edge (issue 13 §5): HTTP for `<app>.localhost` goes to the least-loaded of the app's machines,
 * retried once elsewhere when a machine cannot be reached; `drain` empties a machine before it stops.
 * What Fly's proxy does for an `http_service`, for one host.
 */
export class EdgeProxy {
  private readonly balancer: EdgeBalancer;
  private readonly agents: UpstreamAgents;
  private readonly counters: Record<Counter, number> = { requests: 0, completed: 0, failed: 0, retries: 0, notFound: 0, unavailable: 0, aborted: 0 };
  private readonly config: Required<Omit<EdgeProxyOptions, 'host' | 'port'>>;
  private server?: Server;

  constructor(
    source: EdgeTargetSource,
    private readonly options: EdgeProxyOptions,
  ) {
    this.config = {
      retries: options.retries ?? 1,
      replayableBodyBytes: options.replayableBodyBytes ?? 1024 * 1024,
      refreshMs: options.refreshMs ?? 250,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      responseTimeoutMs: options.responseTimeoutMs ?? 60_000,
      drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
      upstreamIdleMs: options.upstreamIdleMs ?? 4000,
      clientKeepAliveMs: options.clientKeepAliveMs ?? 30_000,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      requestId: options.requestId ?? randomRequestId,
      now: options.now ?? Date.now,
    };
    this.balancer = new EdgeBalancer(source, { refreshMs: this.config.refreshMs, maxCachedApps: 1024, now: this.config.now });
    this.agents = new UpstreamAgents({ idleSocketMs: this.config.upstreamIdleMs, maxIdleSockets: 64 });
  }

  /** Listens on `host:port`; resolves with the URL it is bound to. */
  async start(): Promise<{ url: string }> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => this.fail(res, 502, 'edge: internal error\n'));
    });
    server.keepAliveTimeout = this.config.clientKeepAliveMs;
    server.headersTimeout = this.config.clientKeepAliveMs + 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
  }

  /** Stops listening, cuts every connection (client and upstream) and ends pending drains. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    this.agents.destroyAll();
    this.balancer.releaseWaiters();
  }

  /**
   * Stops sending new requests to the machine now, then resolves once its in-flight requests finished
   * (or after `timeoutMs`, default 30 s). Called before a machine is stopped, updated, destroyed or cordoned.
   * Its keep-alive sockets are closed as they become idle.
   */
  async drain(machineId: string, timeoutMs = this.config.drainTimeoutMs): Promise<void> {
    this.balancer.drain(machineId);
    this.agents.closeWhenIdle(machineId);
    await this.balancer.whenIdle(machineId, timeoutMs);
  }

  /** Lets a drained machine take requests again (after its update, when its checks pass). */
  undrain(machineId: string): void {
    this.balancer.undrain(machineId);
    this.agents.reopen(machineId);
  }

  /** Counters for tests and `/metrics`. */
  stats(): EdgeStats {
    return { ...this.counters, machines: this.balancer.machineLoads(), drained: this.balancer.drainedMachines(), upstreamSockets: this.agents.openSockets() };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.requests += 1;
    const requestId = this.config.requestId();
    res.setHeader('x-request-id', requestId);
    const app = appFromHost(req.headers.host);
    if (!app) {
      this.counters.notFound += 1;
      return plain(res, 404, `edge: no app for host "${(req.headers.host ?? '').slice(0, 100)}"; expected <app>.localhost\n`);
    }
    let targets: readonly EdgeTarget[];
    try {
      targets = await this.balancer.targets(app);
    } catch {
      return this.unavailable(res, `edge: the machines of app ${app} cannot be listed right now\n`);
    }
    if (!this.balancer.anyAvailable(targets)) return this.unavailable(res, `edge: app ${app} has no machine ready for requests\n`);
    const body = await readRequestBody(req, this.config.replayableBodyBytes);
    if (!body) {
      this.counters.aborted += 1;
      return;
    }
    await this.forward(req, res, app, targets, body, upstreamHeaders(req, requestId, body));
  }

  private async forward(req: IncomingMessage, res: ServerResponse, app: string, targets: readonly EdgeTarget[], body: EdgeRequestBody, headers: ReturnType<typeof upstreamHeaders>): Promise<void> {
    const tried = new Set<string>();
    for (let attempt = 0; ; attempt += 1) {
      const target = this.balancer.pick(targets, tried);
      if (!target) {
        if (attempt === 0) return this.unavailable(res, `edge: app ${app} has no machine ready for requests\n`);
        return this.fail(res, 502, `edge: no machine of app ${app} could be reached\n`);
      }
      this.balancer.acquire(target.machineId);
      let outcome: ForwardOutcome;
      try {
        outcome = await forwardOnce({
          req,
          res,
          address: target.address,
          agent: this.agents.agentFor(target.machineId, target.address),
          headers,
          body,
          connectTimeoutMs: this.config.connectTimeoutMs,
          responseTimeoutMs: this.config.responseTimeoutMs,
        });
      } catch (error) {
        outcome = { kind: 'failed', reason: error instanceof Error ? error.message : String(error), responseStarted: res.headersSent };
      }
      this.balancer.release(target.machineId, isFailure(outcome));
      if (outcome.kind !== 'unreachable') return this.finish(res, app, outcome);
      // A keep-alive socket the machine had closed says nothing about the machine: it may take the retry.
      if (!(outcome.reusedSocket && outcome.code === 'ECONNRESET')) tried.add(target.machineId);
      if (attempt >= this.config.retries || body.kind !== 'buffered') {
        return this.fail(res, 502, `edge: app ${app}: machine ${target.machineId} could not be reached (${outcome.code})\n`);
      }
      this.counters.retries += 1;
    }
  }

  private finish(res: ServerResponse, app: string, outcome: Exclude<ForwardOutcome, { kind: 'unreachable' }>): void {
    switch (outcome.kind) {
      case 'completed':
        this.counters.completed += 1;
        return;
      case 'aborted':
        this.counters.aborted += 1;
        return;
      case 'timeout':
        return this.fail(res, 504, `edge: app ${app} did not answer within ${this.config.responseTimeoutMs} ms\n`);
      case 'failed':
        if (outcome.responseStarted) {
          this.counters.failed += 1;
          return;
        }
        return this.fail(res, 502, `edge: app ${app}: the machine failed (${outcome.reason})\n`);
      default: {
        const unhandled: never = outcome;
        return unhandled;
      }
    }
  }

  private unavailable(res: ServerResponse, text: string): void {
    this.counters.unavailable += 1;
    res.setHeader('retry-after', String(this.config.retryAfterSeconds));
    plain(res, 503, text);
  }

  private fail(res: ServerResponse, status: 502 | 504, text: string): void {
    this.counters.failed += 1;
    plain(res, status, text);
  }
}

function isFailure(outcome: ForwardOutcome): boolean {
  return outcome.kind === 'unreachable' || outcome.kind === 'timeout' || outcome.kind === 'failed';
}

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Time-ordered and unique enough to find one request in the machines' logs, like Fly-Request-Id. */
function randomRequestId(): string {
  return `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
}
