import { streams } from '@hangar/contracts';
import { createEventStore, eventStoreMigrations, type EventStoreHandle } from '@hangar/event-store';
import { createTestDatabase, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { AuditCheckpointSchedule } from './audit-checkpoint.schedule';
import { waitFor } from './messaging-test.fixture';

describe(AuditCheckpointSchedule.name, () => {
  let db: TestDatabase;
  let es: EventStoreHandle;

  beforeAll(async () => {
    db = await createTestDatabase('hangar_ckpt');
    es = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations, poolSize: 4 });
  });

  afterAll(async () => {
    await es?.close();
    await db?.drop();
  });

  const checkpoints = () => es.store.readStream(streams.auditCheckpoints());

  it('records checkpoints only while this process is the writer, and only when something changed', async () => {
    let writer = false;
    const sut = new AuditCheckpointSchedule({ store: es.store, db: es.pool, isWriter: () => writer, intervalMs: 100 });
    sut.start();
    try {
      await es.store.append('thing-1', [{ type: 'Happened', data: {} }], { expectedVersion: 'NO_STREAM' });
      await new Promise((r) => setTimeout(r, 350));
      expect(await checkpoints()).toHaveLength(0);
      writer = true;
      await waitFor('the first checkpoint', async () => (await checkpoints()).length === 1, 5000);
      await new Promise((r) => setTimeout(r, 350));
      expect(await checkpoints()).toHaveLength(1);
      await es.store.append('thing-1', [{ type: 'Happened', data: {} }], { expectedVersion: 1 });
      await waitFor('the second checkpoint', async () => (await checkpoints()).length === 2, 5000);
      expect((await checkpoints())[1]!.data).toMatchObject({ sequence: 2, streamCount: 1, changed: [{ streamId: 'thing-1', position: 2 }] });
    } finally {
      await sut.stop();
    }
  });
});
