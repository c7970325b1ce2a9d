import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, commandSubject } from '@hangar/contracts';
import { EventStoreModule, PG_POOL } from '@hangar/event-store';
import { createTestDatabase, TEST_NATS_URL, testNamespace, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { IsOptional, IsString } from 'class-validator';
import { connect, headers, type NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { CommandClient } from '../command.client';
import { MessagingModule } from '../messaging.module';
import { decodeJson } from '../plain-json.deserializer';
import { prepareHangarDatabase, startService } from '../service-bootstrap';
import { ApiTokenStore } from './api-token.store';

jest.setTimeout(60_000);

class AppDto {
  @IsString()
  app!: string;

  @IsOptional()
  @IsString()
  actor?: string;
}

@Controller()
class AppThingsController {
  @MessagePattern(commandPattern('releaser', 'get-app'))
  get(@Payload() dto: AppDto) {
    return { app: dto.app };
  }

  @MessagePattern(commandPattern('releaser', 'scale'))
  deploy(@Payload() dto: AppDto) {
    return { app: dto.app, actor: dto.actor ?? 'anonymous' };
  }
}

/** NATS commands need a token whose scopes cover them; API tokens become the actor (DESIGN §7.3). */
describe('CommandAuthGuard', () => {
  const ns = testNamespace();
  const serviceToken = `svc-${ns}-0123456789abcdef`;
  let db: TestDatabase;
  let app: INestMicroservice;
  let nc: NatsConnection;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase('hangar_cmdauth');
    await prepareHangarDatabase(db.url);

    @Module({
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 2 }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ natsUrl: TEST_NATS_URL, ns, service: 'releaser', serviceToken }) }),
      ],
      controllers: [AppThingsController],
    })
    class GuardedModule {}

    app = await startService(GuardedModule, { natsUrl: TEST_NATS_URL, ns, service: 'releaser', relay: false });
    const tokens = new ApiTokenStore(app.get<Pool>(PG_POOL));
    for (const [name, scopes] of Object.entries({ reader: ['app:x:read'], deployer: ['app:x:deploy'], other: ['app:y:deploy'], revoked: ['admin'] })) {
      secrets[name] = (await tokens.create({ name, scopes, createdBy: 'test' })).secret;
    }
    await tokens.revoke('revoked');
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
    await app?.close();
    await db?.drop();
  });

  const as = (token?: string) => new CommandClient(nc, ns, token);

  it('rejects a command without a token, and with an unknown or revoked one', async () => {
    const bare = await nc.request(commandSubject(ns, 'releaser', 'get-app'), new TextEncoder().encode('{"app":"x"}'), { timeout: 5000 });
    expect(decodeJson(bare.data)).toMatchObject({ error: { code: 'AUTH.UNAUTHORIZED' } });
    const h = headers();
    h.set('Authorization', 'Basic abc');
    const basic = await nc.request(commandSubject(ns, 'releaser', 'get-app'), new TextEncoder().encode('{"app":"x"}'), { timeout: 5000, headers: h });
    expect(decodeJson(basic.data)).toMatchObject({ error: { code: 'AUTH.UNAUTHORIZED' } });
    await expect(as('hgr_not-a-token').request('releaser', 'get-app', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.UNAUTHORIZED' });
    await expect(as(secrets.revoked).request('releaser', 'get-app', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.UNAUTHORIZED' });
  });

  it('checks the scope: get-* needs app read, others app deploy, no app means admin', async () => {
    await expect(as(secrets.reader).request('releaser', 'get-app', { app: 'x' })).resolves.toEqual({ app: 'x' });
    await expect(as(secrets.reader).request('releaser', 'scale', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(as(secrets.other).request('releaser', 'get-app', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(as(secrets.deployer).request('releaser', 'scale', {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });

  it("records an API token as the actor, whatever the payload claims; the service credential's actor is trusted", async () => {
    await expect(as(secrets.deployer).request('releaser', 'scale', { app: 'x', actor: 'admin' })).resolves.toEqual({ app: 'x', actor: 'deployer' });
    await expect(as(secrets.deployer).request('releaser', 'scale', { app: 'x' })).resolves.toEqual({ app: 'x', actor: 'deployer' });
    await expect(as(serviceToken).request('releaser', 'scale', { app: 'x', actor: 'alice' })).resolves.toEqual({ app: 'x', actor: 'alice' });
    await expect(as(serviceToken).request('releaser', 'scale', { app: 'nothing-scoped' })).resolves.toMatchObject({ app: 'nothing-scoped' });
  });
});
