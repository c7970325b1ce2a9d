import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

/** The server tests use; trust auth on 127.0.0.1 (scripts/services.sh). */
export const TEST_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_NATS_URL = 'nats://127.0.0.1:4222';
/**
 * The machine's shared NATS has no authentication, so services in integration tests run on it only
 * with the explicit opt-in. End-to-end tests run on an authenticated server of their own
 * (`HangarProcesses`, `TestNatsServer`).
 */
export const TEST_NATS_ENV = { NATS_URL: TEST_NATS_URL, HANGAR_NATS_INSECURE: '1' } as const;
export const TEST_NATS_ENDPOINT = { url: TEST_NATS_URL, insecure: true } as const;

/** A short random suffix for namespaces, database names and app names in tests. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A NATS namespace of its own for one test run (`t<hex>`). */
export function testNamespace(prefix = 't'): string {
  return `${prefix}${uniqueSuffix()}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(prefix = 'hangar_test'): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`;
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The audit key integration tests build event stores with (32 bytes; a fixed test value, never used outside tests). */
export const TEST_AUDIT_KEY = Buffer.from('hangar-test-audit-key-0123456789', 'utf8');
