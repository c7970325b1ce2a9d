import { Logger } from '@nestjs/common';
import { HangarError } from '@hangar/contracts';
import { Client, type ClientConfig } from 'pg';

/** First half of every claim's two-int advisory lock key, so claims never collide with the relay's one-bigint lock. */
const CLAIM_SPACE = 'hangar:machine-operation';
const SQL = {
  tryLock: 'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked',
  unlock: 'SELECT pg_advisory_unlock(hashtext($1), hashtext($2))',
};

export const ClaimErrorCodes = { LOST: 'OPERATION.CLAIM_LOST' } as const;

/**
 * Which process carries out a machine operation right now, across every machine-updater replica: a
 * Postgres session advisory lock per operation key, all held on one session of this process. When
 * the process dies its session ends and Postgres drops all of its claims at once, so the operation
 * can be resumed elsewhere (or by the restarted process) without waiting for any timeout, and two
 * processes never run the same operation at the same time (a redelivery, a reconcile request and
 * the original delivery all contend for the same claim).
 */
export class OperationClaims {
  private readonly logger = new Logger(OperationClaims.name);
  /** key → the session generation the lock was taken on (0 while being taken). */
  private readonly held = new Map<string, number>();
  private client: Client | undefined;
  private opening: Promise<Client> | undefined;
  private generation = 0;
  private closed = false;
  /** One query at a time on the session (pg would queue them too, with a deprecation warning). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly connection: ClientConfig) {}

  /** True when this process now owns `key`; false when this process or another one already does. */
  async tryClaim(key: string): Promise<boolean> {
    if (this.held.has(key)) return false;
    this.held.set(key, 0);
    try {
      const generation = await this.lock(key);
      if (generation === undefined) this.held.delete(key);
      else this.held.set(key, generation);
      return generation !== undefined;
    } catch (error) {
      this.held.delete(key);
      throw error;
    }
  }

  /** Whether this process is working on `key` now. */
  holds(key: string): boolean {
    return this.held.has(key);
  }

  /**
   * Throws `OPERATION.CLAIM_LOST` unless this process still owns `key`. Call right before a mutation:
   * when the session was lost (Postgres restarted), the lock is taken again on a new session, which
   * fails if another process took over the operation in between.
   */
  async assertHeld(key: string): Promise<void> {
    const generation = this.held.get(key);
    if (generation === undefined) throw claimLost(key);
    const client = await this.session();
    if (generation === this.generation) {
      await this.query(client, 'SELECT 1');
      if (generation === this.generation) return;
    }
    const again = await this.lock(key);
    if (again === undefined) {
      this.held.delete(key);
      throw claimLost(key);
    }
    this.held.set(key, again);
  }

  /** Gives the operation up (done, or to be retried later by whoever claims it next). */
  async release(key: string): Promise<void> {
    const generation = this.held.get(key);
    this.held.delete(key);
    const client = this.client;
    if (client && generation === this.generation) await this.query(client, SQL.unlock, [CLAIM_SPACE, key]).catch(() => undefined);
  }

  /** Ends the session, which drops every claim. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Locks `key` on the current session: its generation, or undefined when someone else holds it. */
  private async lock(key: string): Promise<number | undefined> {
    const client = await this.session();
    const generation = this.generation;
    const rows = await this.query<{ locked: boolean }>(client, SQL.tryLock, [CLAIM_SPACE, key]);
    return rows[0]?.locked === true ? generation : undefined;
  }

  private query<R>(client: Client, sql: string, params: unknown[] = []): Promise<R[]> {
    const result = this.chain.then(() => client.query(sql, params));
    this.chain = result.catch(() => undefined);
    return result.then((r) => r.rows as R[]);
  }

  private session(): Promise<Client> {
    if (this.closed) return Promise.reject(new HangarError('OPERATION.CLAIMS_CLOSED', 'operation claims are closed'));
    if (this.client) return Promise.resolve(this.client);
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(): Promise<Client> {
    const client = new Client(this.connection);
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.generation += 1;
      this.logger.warn('operation claims session lost; claims are re-taken before the next mutation');
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    this.client = client;
    this.generation += 1;
    return client;
  }
}

function claimLost(key: string): HangarError {
  return new HangarError(ClaimErrorCodes.LOST, `operation ${key} is being carried out by another process`, { key });
}
