import { Client } from 'pg';
import { createTestDatabase, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { createEventStore, type EventStoreHandle } from './create-event-store';
import { eventStoreMigrations } from './event-store-migrations';

/**
 * A Postgres restart ends every session, including one a transaction has checked out of the pool.
 * pg-pool only listens for errors on idle clients, so without a listener of its own the transaction's
 * connection dying is an unhandled 'error' event that kills the whole service (the chaos suite saw
 * services exit on Postgres restarts). It must fail that transaction and nothing else.
 */
describe('PostgresEventStore.transaction when its connection dies', () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  let admin: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations, poolSize: 2 });
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await handle?.close();
    await db?.drop();
  });

  it('fails the transaction, not the process, and the store keeps working', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const dying = handle.store.transaction(async (tx) => {
        const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // Between statements, as when a handler awaits something else mid-transaction.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('SELECT 1');
      });
      await expect(dying).rejects.toThrow();
      expect(uncaught).toEqual([]);
      await handle.store.append('loss-1', [{ type: 'Survived', data: {} }], { expectedVersion: 'NO_STREAM' });
      expect(await handle.store.streamVersion('loss-1')).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
