import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { PostgresEventStore } from './postgres-event-store';
import { ensureDatabase, runMigrations } from './run-migrations';

export interface EventStoreOptions {
  databaseUrl: string;
  /** The audit key (32 bytes, `HANGAR_AUDIT_KEY`) that keys every appended event's hash (DESIGN G7). */
  auditKey: Buffer;
  /** Maximum pooled connections (default 10). */
  poolSize?: number;
  /** NOTIFY channel raised after each committed append (default `hangar_events`). */
  notifyChannel?: string;
  /**
   * When given, the database is created if missing and these migrations are run before the pool
   * opens (typically `[...eventStoreMigrations, ...messagingMigrations, ...own]`).
   */
  migrations?: Function[];
}

export interface EventStoreHandle {
  store: PostgresEventStore;
  pool: Pool;
  /** The audit key the store was built with (for `verifyEventStore`). */
  auditKey: Buffer;
  /** Ends the LISTEN connection and the pool. */
  close(): Promise<void>;
}

/** Builds the store without Nest (CLI, scripts, tests). */
export async function createEventStore(options: EventStoreOptions): Promise<EventStoreHandle> {
  if (options.migrations) {
    await ensureDatabase(options.databaseUrl);
    await runMigrations(options.databaseUrl, options.migrations);
  }
  const pool = createPool(options);
  const store = new PostgresEventStore(pool, { auditKey: options.auditKey, notifyChannel: options.notifyChannel });
  let closed = false;
  return {
    store,
    pool,
    auditKey: options.auditKey,
    async close() {
      if (closed) return;
      closed = true;
      store.close();
      await pool.end();
    },
  };
}

/** How long a caller waits for a pooled connection before failing, ms: a saturated pool answers an error, never a hang (review M6). */
export const POOL_CONNECTION_TIMEOUT_MS = 30_000;

/** A `pg.Pool` with the store's connection timeout; `applicationName` shows in `pg_stat_activity`. */
export function createPool(options: Pick<EventStoreOptions, 'databaseUrl' | 'poolSize'> & { applicationName?: string }): Pool {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: POOL_CONNECTION_TIMEOUT_MS,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  const logger = new Logger('PgPool');
  // An idle client dying (server restart, terminated backend) must not crash the process.
  pool.on('error', (err) => logger.warn(`idle Postgres connection failed: ${err.message}`));
  return pool;
}
