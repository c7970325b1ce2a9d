import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EdgeTarget, EdgeTargetSource } from './edge-target';

/** What a test upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A machine's http service for the edge's tests: answers `<name> <path>` with 200, except under
 * `/hold/`, where it answers only once `releaseHeld()` is called (an in-flight request a test controls),
 * and `/delay/<ms>`, answered that much later (requests that overlap under load).
 */
export class TestUpstream {
  readonly seen: SeenRequest[] = [];
  /** Requests received and not answered yet. */
  inFlight = 0;
  /** Requests whose client (the edge) went away before they were answered. */
  abandoned = 0;
  private held: (() => void)[] = [];
  private server!: Server;

  private constructor(
    readonly name: string,
    private readonly handler?: (req: IncomingMessage, res: ServerResponse, upstream: TestUpstream) => void,
  ) {}

  static async start(name: string, options: { port?: number; handler?: (req: IncomingMessage, res: ServerResponse, upstream: TestUpstream) => void } = {}): Promise<TestUpstream> {
    const upstream = new TestUpstream(name, options.handler);
    upstream.server = createServer((req, res) => upstream.handle(req, res));
    upstream.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => upstream.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      upstream.server.once('error', reject);
      upstream.server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return upstream;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  target(machineId = this.name): EdgeTarget {
    return { machineId, address: this.address };
  }

  releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const answer of held) answer();
  }

  /** TCP connections open to this server now. */
  connections(): Promise<number> {
    return new Promise((resolve, reject) => this.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  async close(): Promise<void> {
    this.releaseHeld();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.upgraded) socket.destroy();
    await closed;
  }

  /** Upgraded connections open now. */
  tunnels = 0;
  private readonly upgraded = new Set<Duplex>();

  /**
   * `Upgrade: echo` on `/ws`: switches protocols and answers each chunk with `<name>: <chunk>` (what
   * the client sent with its head first); on any other path refuses with 403 and a body.
   */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
    if (req.url !== '/ws') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n\r\nforbidden');
      return;
    }
    this.tunnels += 1;
    this.upgraded.add(socket);
    socket.once('close', () => {
      this.tunnels -= 1;
      this.upgraded.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.once('end', () => socket.end()); // the HTTP server's sockets allow half-open ones
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: ${req.headers.upgrade}\r\nx-machine: ${this.name}\r\n\r\n`);
    const echo = (chunk: Buffer): void => void socket.write(`${this.name}: ${chunk.toString()}`);
    if (head.length > 0) echo(head);
    socket.on('data', echo);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (this.handler) return this.handler(req, res, this);
      this.inFlight += 1;
      const answer = (): void => {
        this.inFlight -= 1;
        res.end(`${this.name} ${req.url}`);
      };
      res.on('close', () => {
        if (!res.writableFinished) {
          this.inFlight -= 1;
          this.abandoned += 1;
          this.held = this.held.filter((h) => h !== answer);
        }
      });
      const delay = /^\/delay\/(\d+)/.exec(req.url ?? '');
      if (req.url?.startsWith('/hold/')) this.held.push(answer);
      else if (delay) setTimeout(answer, Number(delay[1]));
      else answer();
    });
  }
}

/** An in-memory target list per app, as fleet's machines table would give it. */
export class MemoryTargetSource implements EdgeTargetSource {
  private readonly apps = new Map<string, EdgeTarget[]>();
  calls = 0;

  set(app: string, targets: EdgeTarget[]): void {
    this.apps.set(app, targets);
  }

  async targets(app: string): Promise<EdgeTarget[]> {
    this.calls += 1;
    return [...(this.apps.get(app) ?? [])];
  }
}

export interface EdgeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request to the edge with the given Host; `agent` for keep-alive, none for a fresh connection. */
export function edgeRequest(url: string, host: string, options: { path?: string; method?: string; body?: string; agent?: Agent; headers?: Record<string, string> } = {}): Promise<EdgeResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: options.path ?? '/', method: options.method ?? 'GET', headers: { host, ...options.headers }, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Polls `probe` (every 5 ms) until it holds; throws naming `what` after `timeoutMs` (default 5 s). */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
