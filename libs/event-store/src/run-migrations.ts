import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** Anything the migrations table and advisory lock are shared by: one lock for every service's migrations. */
const MIGRATIONS_LOCK = 'hangar:migrations';
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface RunMigrationsOptions {
  /** Postgres schema for the migrations table and unqualified names; created when missing. Default `public`. */
  schema?: string;
}

/**
 * Runs the pending migrations among `migrations` (TypeORM `MigrationInterface` classes, not a glob: the
 * build is plain tsc) against `databaseUrl`, recording them in the `migrations` table, each in its own
 * transaction. Concurrent callers (several replicas booting at once) are serialised by a Postgres
 * advisory lock. Returns the names of the migrations it ran.
 */
export async function runMigrations(databaseUrl: string, migrations: Function[], options: RunMigrationsOptions = {}): Promise<string[]> {
  const { schema } = options;
  if (schema !== undefined && !IDENTIFIER.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [MIGRATIONS_LOCK]);
    if (schema) await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      schema,
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'migrations',
      migrations,
      logging: false,
      extra: { max: 2, ...(schema ? { options: `-c search_path=${schema},public` } : {}) },
    });
    await dataSource.initialize();
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    // Ending the session releases the advisory lock as well; unlocking first just frees it sooner.
    await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [MIGRATIONS_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the database named in `databaseUrl` when it does not exist (DESIGN §7.4), connecting to the
 * `postgres` database of the same server. Safe to race: another process creating it first is fine.
 * Returns true when this call created it.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`database url names no database: ${redact(url)}`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const existing = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (existing.rowCount) return false;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Two creators racing: the loser gets 42P04, or 23505 from pg_database's unique index.
    if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
    throw err;
  } finally {
    await admin.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function redact(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}
