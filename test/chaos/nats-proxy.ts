import { createServer, Socket, type Server } from 'node:net';

export interface NatsProxyOptions {
  /** Where NATS listens. */
  target: { host: string; port: number };
  /** Seeded randomness of the run. */
  random: () => number;
  /** Mean life of a connection before the proxy cuts it, in ms (exponentially distributed). */
  meanConnectionLifeMs: number;
  /** Each chunk is held back up to this long (order within a direction is kept), in ms. */
  maxDelayMs: number;
}

/**
 * A lossy bus between Hangar's services and NATS (G3), for `--lossy` chaos runs. It works on TCP,
 * not on NATS frames: it delays bytes and cuts whole connections at random moments. Cutting is what
 * loses messages realistically — a publish, an ack or a reply in flight on the cut connection never
 * arrives — and lost acks make JetStream redeliver, which is how duplicates reach the consumers.
 * Rewriting the protocol to duplicate or reorder single frames would need a NATS parser in the
 * proxy (PUB/HPUB/MSG/HMSG with byte counts, +OK/-ERR, PING/PONG) and would mostly produce states the
 * real server never causes; reordering does happen here across connections (a reconnecting client
 * resends its subscriptions and pending requests after newer traffic of other clients).
 */
export class NatsProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Connections cut so far. */
  cuts = 0;
  port = 0;

  constructor(private readonly options: NatsProxyOptions) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    const upstream = new Socket();
    this.track(client);
    this.track(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    upstream.connect(this.options.target.port, this.options.target.host);
    this.pipe(client, upstream);
    this.pipe(upstream, client);
    const life = -Math.log(1 - this.options.random()) * this.options.meanConnectionLifeMs;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!client.destroyed) this.cuts += 1;
      cut();
    }, life);
    this.timers.add(timer);
    client.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  /** Forwards chunks, each held back a random while but never overtaking the one before. */
  private pipe(from: Socket, to: Socket): void {
    let releaseAt = 0;
    from.on('data', (chunk: Buffer) => {
      releaseAt = Math.max(releaseAt, Date.now() + this.options.random() * this.options.maxDelayMs);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!to.destroyed) to.write(chunk);
      }, releaseAt - Date.now());
      this.timers.add(timer);
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
