import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, eventsStreamName, HangarError } from '@hangar/contracts';
import { EVENT_STORE, EventStoreModule, PG_POOL, type EventStore } from '@hangar/event-store';
import { createTestDatabase, TEST_NATS_URL, TEST_NATS_ENDPOINT, TEST_PG_ADMIN_URL, testNamespace, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { IsString } from 'class-validator';
import { connect, type NatsConnection } from 'nats';
import { Client, type Pool } from 'pg';
import { CommandClient } from './command.client';
import { ConsumerFactory } from './consumer.factory';
import { connectNats, MessagingModule } from './messaging.module';
import { NATS_CONNECTION } from './messaging.tokens';
import { waitFor } from './messaging-test.fixture';
import { prepareHangarDatabase, startService } from './service-bootstrap';

jest.setTimeout(60_000);

class ClaimDto {
  @IsString()
  name!: string;
}

@Controller()
class ClaimController {
  @MessagePattern(commandPattern('releaser', 'claim'))
  claim(@Payload() dto: ClaimDto): { claimed: string } {
    if (dto.name === 'taken') throw new HangarError('CLAIM.TAKEN', 'already claimed');
    return { claimed: dto.name };
  }
}

describe(MessagingModule.name, () => {
  let db: TestDatabase;
  const ns = testNamespace();

  beforeAll(async () => {
    db = await createTestDatabase('hangar_msgmod');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('startService serves commands, runs the relay and consumers, and closes everything on shutdown', async () => {
    // A database that does not exist yet, as on a first boot.
    const databaseUrl = `${db.url}_svc`;
    await prepareHangarDatabase(databaseUrl);

    @Module({
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ auditKey: TEST_AUDIT_KEY, databaseUrl }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: TEST_NATS_ENDPOINT, ns, service: 'releaser' }) }),
      ],
      controllers: [ClaimController],
    })
    class ServiceModule {}

    const app = await startService(ServiceModule, { nats: TEST_NATS_ENDPOINT, ns, service: 'releaser' });
    const store = app.get<EventStore>(EVENT_STORE);
    const pool = app.get<Pool>(PG_POOL);
    const nc = app.get<NatsConnection>(NATS_CONNECTION);
    try {
      const commands = app.get(CommandClient);
      await expect(commands.request('releaser', 'claim', { name: 'x' })).resolves.toEqual({ claimed: 'x' });
      await expect(commands.request('releaser', 'claim', { name: 'taken' })).rejects.toMatchObject({ code: 'CLAIM.TAKEN' });
      await expect(commands.request('releaser', 'claim', { name: 1 })).rejects.toMatchObject({ code: 'REQUEST.INVALID' });

      const seen: string[] = [];
      await app.get(ConsumerFactory).start({
        purpose: 'wiring',
        eventType: 'Wired',
        handler: async (event) => {
          seen.push(event.eventId);
          return { kind: 'ack' };
        },
      });
      const wired = randomUUID();
      await store.append(`wired-${wired}`, [{ type: 'Wired', data: { app: 'wiring' }, eventId: wired }], { expectedVersion: 'NO_STREAM' });
      await store.append(`other-${wired}`, [{ type: 'NotWired', data: { app: 'wiring' } }], { expectedVersion: 'NO_STREAM' });
      await waitFor('the consumer to see the event', () => seen.includes(wired));
      expect(seen).toEqual([wired]);
    } finally {
      await app.close();
      const cleanup = await connect({ servers: TEST_NATS_URL });
      await (await cleanup.jetstreamManager()).streams.delete(eventsStreamName(ns)).catch(() => undefined);
      await cleanup.close();
      await dropDatabase(`${db.name}_svc`);
    }
    expect(pool.ending).toBe(true);
    expect(nc.isClosed()).toBe(true);
  });
});

describe('connectNats', () => {
  it('refuses a NATS server that lets anyone in, unless HANGAR_NATS_INSECURE opts in', async () => {
    await expect(connectNats({ nats: { url: TEST_NATS_URL, insecure: false }, ns: testNamespace(), service: 'releaser' })).rejects.toThrow(
      /NATS_URL: the NATS server at nats:\/\/127\.0\.0\.1:4222 lets clients in without authentication.*HANGAR_NATS_INSECURE=1/,
    );
    const nc = await connectNats({ nats: TEST_NATS_ENDPOINT, ns: testNamespace(), service: 'releaser' });
    await nc.close();
  });
});

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
