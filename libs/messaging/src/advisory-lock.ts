import { Client, type ClientConfig } from 'pg';

/**
 * A Postgres session advisory lock on a connection of its own. The lock lives exactly as long as that
 * session: if the process dies or the connection is cut, Postgres releases it and a standby can take
 * over, and `held` turns false here so the old holder stops working.
 */
export class AdvisoryLock {
  private client: Client | undefined;
  private locked = false;
  private lost = false;

  constructor(
    private readonly connection: ClientConfig,
    /** Any string; hashed to the lock's bigint key in SQL. */
    readonly key: string,
  ) {}

  get held(): boolean {
    return this.locked && !this.lost;
  }

  /** The backend pid of the lock's session (for diagnostics and tests). */
  get pid(): number | undefined {
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  /** Tries once, reusing the session between tries; true when this session now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    try {
      if (!this.client || this.lost) await this.open();
      const { rows } = await this.client!.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [this.key]);
      this.locked = rows[0]?.locked === true;
    } catch {
      // Unreachable database: not acquired; the caller retries with a fresh session.
      await this.release();
    }
    return this.held;
  }

  /** Round-trips on the lock's session; a dead session marks the lock lost. */
  async verify(): Promise<boolean> {
    if (!this.held) return false;
    try {
      await this.client!.query('SELECT 1');
    } catch {
      this.lost = true;
    }
    return this.held;
  }

  /** Ends the session, which releases the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.locked = false;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    await this.release();
    const client = new Client(this.connection);
    const markLost = () => {
      if (client === this.client) this.lost = true;
    };
    client.on('error', markLost);
    client.on('end', markLost);
    this.client = client;
    this.lost = false;
    await client.connect();
  }
}
