import { Logger } from '@nestjs/common';
import { Client, Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { CreateFleetSchema1764140000000 } from '../migrations/1764140000000-create-fleet-schema.migration';
import { FleetIpAssignments1767000000000 } from '../migrations/1767000000000-fleet-ip-assignments.migration';

/** Every migration of fleet's schema, oldest first (explicit: no globs). */
const MIGRATIONS = [CreateFleetSchema1764140000000, FleetIpAssignments1767000000000];

/** Serialises fleet migrations across processes starting at once. */
const MIGRATION_LOCK_SQL = `SELECT pg_advisory_lock(hashtext('hangar.fleet.migrations'))`;
const MIGRATION_UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtext('hangar.fleet.migrations'))`;

/** Creates the database named in `url` when it does not exist (a concurrent creator is fine). */
export async function ensureDatabase(url: string): Promise<void> {
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // 42P04: it exists; 23505: a concurrent CREATE DATABASE won the race on the catalog's unique index.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await admin.end();
  }
}

/** Creates schema `fleet` and runs pending migrations (table `fleet.fleet_migrations`) under an advisory lock. */
export async function migrateFleetSchema(url: string): Promise<void> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query(MIGRATION_LOCK_SQL);
    await lock.query('CREATE SCHEMA IF NOT EXISTS fleet');
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema: 'fleet',
      migrationsTableName: 'fleet_migrations',
      migrations: MIGRATIONS,
      synchronize: false,
      logging: false,
      entities: [],
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query(MIGRATION_UNLOCK_SQL).catch(() => undefined);
    await lock.end();
  }
}

/** Ensures the database and the schema, then opens fleet's pool. */
export async function openFleetDatabase(url: string, poolSize = 10): Promise<Pool> {
  await ensureDatabase(url);
  await migrateFleetSchema(url);
  const pool = new Pool({ connectionString: url, max: poolSize });
  // An idle connection dropped by the server (restart, admin termination) must not crash the process.
  // During shutdown pg-pool reports "ended" before the sockets are closed; losses then are expected.
  pool.on('error', (error) => {
    if (!pool.ending) new Logger('Fleet').warn(`idle database connection lost: ${error.message}`);
  });
  return pool;
}

/** Runs `fn` in one transaction on one connection; rolls back when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // pg-pool listens for errors only on idle clients: a connection dying while checked out (Postgres
  // restarting) would be an unhandled 'error' that kills fleet. It fails this transaction instead.
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    if (!broken) client.off('error', onError);
    client.release(broken);
  }
}
