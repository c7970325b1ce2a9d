import { eventsStreamName } from '@hangar/contracts';
import { createEventStore, eventStoreMigrations, type EventStoreHandle } from '@hangar/event-store';
import { createTestDatabase, TEST_NATS_URL, testNamespace, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { messagingMigrations } from './messaging-migrations';

/** Shared set-up of messaging integration tests: a database, a namespace and a NATS connection of their own. */
export interface MessagingFixture {
  db: TestDatabase;
  es: EventStoreHandle;
  ns: string;
  nc: NatsConnection;
  jsm: JetStreamManager;
  dispose(): Promise<void>;
}

export async function createMessagingFixture(): Promise<MessagingFixture> {
  const ns = testNamespace();
  const db = await createTestDatabase('hangar_msg');
  const es = await createEventStore({
    auditKey: TEST_AUDIT_KEY,
    databaseUrl: db.url,
    poolSize: 8,
    notifyChannel: `events_${ns}`,
    migrations: [...eventStoreMigrations, ...messagingMigrations],
  });
  const nc = await connect({ servers: TEST_NATS_URL });
  const jsm = await nc.jetstreamManager();
  return {
    db,
    es,
    ns,
    nc,
    jsm,
    async dispose() {
      // Deleting the stream deletes its consumers too.
      await jsm.streams.delete(eventsStreamName(ns)).catch(() => undefined);
      await nc.close();
      await es.close();
      await db.drop();
    },
  };
}

/** Polls `condition` every 25 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Messages currently in the namespace's event stream. */
export async function streamMessageCount(f: MessagingFixture): Promise<number> {
  const info = await f.jsm.streams.info(eventsStreamName(f.ns)).catch(() => undefined);
  return info?.state.messages ?? 0;
}
