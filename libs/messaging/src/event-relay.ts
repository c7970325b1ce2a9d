import { Logger } from '@nestjs/common';
import { eventsStreamName, type EventsStreamLimits } from '@hangar/contracts';
import { START_CHECKPOINT, type EventStore, type GlobalCheckpoint, type StoredEvent } from '@hangar/event-store';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { AdvisoryLock } from './advisory-lock';
import { ensureEventsStream } from './events-stream';
import { feedSubject, toFeedEvent } from './feed-event';
import { loadSql } from './sql-files';

const SQL = { load: loadSql('load-checkpoint'), save: loadSql('save-checkpoint') };
const LOCK_CHECK_MS = 5000;
const ERROR_BACKOFF_MS = 1000;

export interface EventRelayOptions {
  store: EventStore;
  /** Pool of the store's database: checkpoints, and the connection settings of the lock session. */
  pool: Pool;
  nc: NatsConnection;
  ns: string;
  /** Checkpoint and lock name (default `<NS>_EVENTS`); one active relay per name. */
  name?: string;
  /** Events read and published per round (default 500). */
  batchSize?: number;
  /** Fallback polling when no NOTIFY arrives (default 250 ms). */
  pollIntervalMs?: number;
  /** How often a standby tries to take the lock (default 1000 ms). */
  lockRetryMs?: number;
  /** Duplicate window of the stream when the relay creates it (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Retention of `<NS>_EVENTS`, applied when the relay creates or finds it (default: none). */
  eventsStream?: EventsStreamLimits;
}

/**
 * Publishes committed events from the store to JetStream (DESIGN §4 "Relay"), in the store's global
 * order, with the event id as JetStream message id so re-publishing after a crash is dropped as a
 * duplicate. Only the holder of a Postgres advisory lock publishes; the others wait as standbys.
 */
export class EventRelay {
  readonly name: string;
  private readonly logger = new Logger(EventRelay.name);
  private readonly lock: AdvisoryLock;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private unlisten: (() => void) | undefined;

  constructor(private readonly options: EventRelayOptions) {
    this.name = options.name ?? eventsStreamName(options.ns);
    this.lock = new AdvisoryLock(options.pool.options, `hangar:relay:${this.name}`);
  }

  /** True while this instance holds the lock (and so is the one publishing). */
  get isLeader(): boolean {
    return this.lock.held;
  }

  /** The backend pid of the lock session while leader (tests cut it to simulate a dead relay). */
  get lockPid(): number | undefined {
    return this.lock.held ? this.lock.pid : undefined;
  }

  /** Starts trying to become the active relay, in the background. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    // Only the leader reacts to appends; a standby keeps its own lock-retry pace.
    this.unlisten = this.options.store.onAppended?.(() => {
      if (this.lock.held) this.wakeUp?.();
    });
    this.running = this.run();
  }

  /** Stops after the batch in flight and releases the lock. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unlisten?.();
    this.unlisten = undefined;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  /** The stored checkpoint of this relay name. */
  async checkpoint(): Promise<GlobalCheckpoint> {
    const { rows } = await this.options.pool.query<{ transaction_id: string; global_position: string }>(SQL.load, [this.name]);
    return rows.length === 0 ? START_CHECKPOINT : { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (!(await this.lock.tryAcquire())) {
        await this.pause(this.options.lockRetryMs ?? 1000);
        continue;
      }
      this.logger.log(`relay ${this.name} is active`);
      try {
        await this.lead();
      } finally {
        await this.lock.release();
      }
      if (!this.stopping) {
        this.logger.warn(`relay ${this.name} lost its lock; standing by`);
        // A session that was just cut is suspect: give the standbys the first go at the lock.
        await this.pause(3 * (this.options.lockRetryMs ?? 1000));
      }
    }
  }

  private async lead(): Promise<void> {
    let checkpoint: GlobalCheckpoint | undefined;
    let streamReady = false;
    let lockCheckedAt = Date.now();
    while (!this.stopping && this.lock.held) {
      try {
        if (!streamReady) {
          await ensureEventsStream(await this.options.nc.jetstreamManager(), this.options.ns, {
            ...(this.options.duplicateWindowMs === undefined ? {} : { duplicateWindowMs: this.options.duplicateWindowMs }),
            ...(this.options.eventsStream ? { limits: this.options.eventsStream } : {}),
          });
          streamReady = true;
        }
        checkpoint ??= await this.checkpoint();
        const batch = await this.options.store.readAll(checkpoint, this.options.batchSize ?? 500);
        if (batch.length === 0) {
          if (Date.now() - lockCheckedAt > LOCK_CHECK_MS) {
            await this.lock.verify();
            lockCheckedAt = Date.now();
          }
          await this.pause(this.options.pollIntervalMs ?? 250);
          continue;
        }
        await this.publish(batch);
        const last = batch[batch.length - 1];
        checkpoint = { transactionId: last.transactionId, globalPosition: last.globalPosition };
        await this.options.pool.query(SQL.save, [this.name, checkpoint.transactionId, checkpoint.globalPosition]);
      } catch (err) {
        // NATS or Postgres away: retry from the last saved point; duplicates are dropped by msgID.
        this.logger.warn(`relay ${this.name}: ${(err as Error).message}; retrying`);
        streamReady = false;
        checkpoint = undefined;
        await this.pause(ERROR_BACKOFF_MS);
      }
    }
  }

  /** Publishes the batch concurrently; resolves only when every message was acknowledged. */
  private async publish(batch: StoredEvent[]): Promise<void> {
    const js = this.options.nc.jetstream();
    const streamName = eventsStreamName(this.options.ns);
    await Promise.all(
      batch.map((event) => {
        const body = new TextEncoder().encode(JSON.stringify(toFeedEvent(event)));
        return js.publish(feedSubject(this.options.ns, event), body, { msgID: event.eventId, expect: { streamName } });
      }),
    );
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
