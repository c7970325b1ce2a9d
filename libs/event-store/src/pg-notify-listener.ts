import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';

/** Channel names are interpolated into LISTEN, so only plain identifiers are accepted. */
export const NOTIFY_CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * LISTENs on one channel over a dedicated connection (a pooled one would lose the subscription when
 * released) and reconnects after errors. Listeners are also called after every (re)connect, because
 * notifications sent while disconnected are lost.
 */
export class PgNotifyListener {
  private readonly logger = new Logger(PgNotifyListener.name);
  private readonly listeners = new Set<() => void>();
  private client: Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly connection: ClientConfig,
    private readonly channel: string,
    private readonly reconnectMs = 1000,
  ) {
    if (!NOTIFY_CHANNEL_PATTERN.test(channel)) throw new Error(`invalid notify channel name: ${channel}`);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.client && !this.retry) void this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.disconnect();
  }

  private async connect(): Promise<void> {
    if (this.closed || this.listeners.size === 0) return;
    const client = new Client(this.connection);
    this.client = client;
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      if (err) this.logger.warn(`LISTEN ${this.channel} connection lost: ${err.message}`);
      this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.emit();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.emit();
    } catch (err) {
      lost(err as Error);
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.listeners.size === 0 || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.reconnectMs);
  }

  private disconnect(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.logger.error(`append listener failed: ${(err as Error).message}`);
      }
    }
  }
}
