import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { EdgeBalancer, type MachineLoad } from './edge-balancer';
import { forwardOnce, upstreamHeaders, type ForwardOutcome } from './edge-forward';
import { appFromHost } from './edge-host';
import { readRequestBody, type EdgeRequestBody } from './edge-request-body';
import type { EdgeTarget, EdgeTargetSource } from './edge-target';
import { forwardUpgrade, rawReply } from './edge-upgrade';
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
  /** Upgraded connections (WebSockets) joined to each machine now. */
  tunnels: Record<string, number>;
  /** Requests the machine switched protocols for (counted in `requests`, not in `completed`). */
  upgraded: number;
}

type Counter = Exclude<keyof EdgeStats, 'machines' | 'drained' | 'upstreamSockets' | 'tunnels'>;

/**
 * The edge (issue 13 §5): HTTP for `<app>.localhost` goes to the least-loaded of the app's machines,
 * retried once elsewhere when a machine cannot be reached; `drain` empties a machine before it stops.
 * What Fly's proxy does for an `http_service`, for one host.
 */
export class EdgeProxy {
  private readonly balancer: EdgeBalancer;
  private readonly agents: UpstreamAgents;
  private readonly counters: Record<Counter, number> = { requests: 0, completed: 0, failed: 0, retries: 0, notFound: 0, unavailable: 0, aborted: 0, upgraded: 0 };
  /** Upgraded connections by machine: closed once the machine has drained (just before it stops). */
  private readonly tunnels = new Map<string, Set<Duplex>>();
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
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch(() => socket.destroy());
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
      // Upgraded sockets are no longer the HTTP server's to close, but it waits for them.
      for (const machineId of [...this.tunnels.keys()]) this.closeTunnels(machineId);
      await closed;
    }
    this.agents.destroyAll();
    this.balancer.releaseWaiters();
  }

  /**
   * Stops sending new requests to the machine now, then resolves once its in-flight requests finished
   * (or after `timeoutMs`, default 30 s). Called before a machine is stopped, updated, destroyed or cordoned.
   * Its keep-alive sockets are closed as they become idle; its upgraded connections (WebSockets, which
   * live as long as their client wants) are closed once its requests are done, as Fly's proxy closes
   * them when a machine stops, so clients reconnect to a machine that stays.
   */
  async drain(machineId: string, timeoutMs = this.config.drainTimeoutMs): Promise<void> {
    this.balancer.drain(machineId);
    this.agents.closeWhenIdle(machineId);
    await this.balancer.whenIdle(machineId, timeoutMs);
    if (this.balancer.isDrained(machineId)) this.closeTunnels(machineId);
  }

  /** Lets a drained machine take requests again (after its update, when its checks pass). */
  undrain(machineId: string): void {
    this.balancer.undrain(machineId);
    this.agents.reopen(machineId);
  }

  /** The machine was destroyed: nothing about it is kept (drain mark, counters, keep-alive agent). */
  forget(machineId: string): void {
    this.balancer.forget(machineId);
    this.agents.forget(machineId);
    this.closeTunnels(machineId);
  }

  /** Counters for tests and `/metrics`. */
  stats(): EdgeStats {
    const tunnels = Object.fromEntries([...this.tunnels].map(([id, set]) => [id, set.size]));
    return { ...this.counters, machines: this.balancer.machineLoads(), drained: this.balancer.drainedMachines(), upstreamSockets: this.agents.openSockets(), tunnels };
  }

  /**
   * `Connection: Upgrade` (WebSockets): the same choice of machine as a request (started, passing,
   * not drained; least loaded), retried once elsewhere when one cannot be reached; once the machine
   * switches protocols the connection is a tunnel to it until either side closes or the machine drains.
   */
  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.counters.requests += 1;
    socket.on('error', () => socket.destroy());
    const requestId = this.config.requestId();
    const app = appFromHost(req.headers.host);
    if (!app) {
      this.counters.notFound += 1;
      return rawReply(socket, 404, `edge: no app for host "${(req.headers.host ?? '').slice(0, 100)}"; expected <app>.localhost\n`, { 'x-request-id': requestId });
    }
    let targets: readonly EdgeTarget[];
    try {
      targets = await this.balancer.targets(app);
    } catch {
      return this.rawUnavailable(socket, `edge: the machines of app ${app} cannot be listed right now\n`);
    }
    const tried = new Set<string>();
    for (let attempt = 0; ; attempt += 1) {
      const target = this.balancer.pick(targets, tried);
      if (!target) {
        if (attempt === 0) return this.rawUnavailable(socket, `edge: app ${app} has no machine ready for requests\n`);
        this.counters.failed += 1;
        return rawReply(socket, 502, `edge: no machine of app ${app} could be reached\n`);
      }
      this.balancer.acquire(target.machineId);
      const outcome = await forwardUpgrade({ req, socket, head, address: target.address, requestId, timeoutMs: this.config.connectTimeoutMs });
      this.balancer.release(target.machineId, outcome.kind === 'unreachable');
      switch (outcome.kind) {
        case 'upgraded':
          this.counters.upgraded += 1;
          return this.track(target.machineId, outcome.tunnel, socket);
        case 'answered':
          this.counters.completed += 1;
          return;
        case 'aborted':
          this.counters.aborted += 1;
          return;
        case 'unreachable':
          tried.add(target.machineId);
          if (attempt >= this.config.retries) {
            this.counters.failed += 1;
            return rawReply(socket, 502, `edge: app ${app}: machine ${target.machineId} could not be reached (${outcome.code})\n`);
          }
          this.counters.retries += 1;
      }
    }
  }

  private track(machineId: string, tunnel: Duplex, client: Duplex): void {
    const set = this.tunnels.get(machineId) ?? new Set<Duplex>();
    this.tunnels.set(machineId, set);
    set.add(client);
    const untrack = (): void => {
      set.delete(client);
      if (set.size === 0 && this.tunnels.get(machineId) === set) this.tunnels.delete(machineId);
    };
    client.once('close', untrack);
    tunnel.once('close', untrack);
    // Drained while the handshake was in flight: it does not outlive the drain.
    if (this.balancer.isDrained(machineId)) client.destroy();
  }

  private closeTunnels(machineId: string): void {
    const set = this.tunnels.get(machineId);
    if (!set) return;
    this.tunnels.delete(machineId);
    for (const client of set) client.destroy();
  }

  private rawUnavailable(socket: Duplex, text: string): void {
    this.counters.unavailable += 1;
    rawReply(socket, 503, text, { 'retry-after': String(this.config.retryAfterSeconds) });
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
