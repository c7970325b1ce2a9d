import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, commandSubject } from '@hangar/contracts';
import { EventStoreModule, PG_POOL } from '@hangar/event-store';
import { createTestDatabase, testNamespace, TestNatsServer, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { IsOptional, IsString } from 'class-validator';
import { headers, type NatsConnection } from 'nats';
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

/**
 * Who sent a NATS command is what NATS authenticated, never a header (DESIGN §4 "Trust", §7.3): on a
 * server configured as `hangar nats init` writes it, Hangar's services are trusted as themselves and
 * an outside publisher acts as the API token bound to its nkey.
 */
describe('CommandAuthGuard', () => {
  const ns = testNamespace();
  const publishers = ['reader', 'deployer', 'other', 'revoked', 'unbound'];
  let db: TestDatabase;
  let nats: TestNatsServer;
  let app: INestMicroservice;
  let pool: Pool;
  const conns: Record<string, NatsConnection> = {};

  beforeAll(async () => {
    db = await createTestDatabase('hangar_cmdauth');
    await prepareHangarDatabase(db.url);
    nats = await TestNatsServer.start({ namespace: ns, publishers, feedReaders: ['feed'] });

    @Module({
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 2 }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: nats.endpoint, ns, service: 'releaser' }) }),
      ],
      controllers: [AppThingsController],
    })
    class GuardedModule {}

    app = await startService(GuardedModule, { nats: nats.endpoint, ns, service: 'releaser', relay: false });
    pool = app.get<Pool>(PG_POOL);
    const tokens = new ApiTokenStore(pool);
    for (const [name, scopes] of Object.entries({ reader: ['app:x:read'], deployer: ['app:x:deploy'], other: ['app:y:deploy'], revoked: ['admin'] })) {
      await tokens.create({ name, scopes, createdBy: 'test', natsKey: nats.publicKey(name) });
    }
    await tokens.revoke('revoked');
    for (const identity of [...publishers, 'gateway', 'feed']) conns[identity] = await nats.connect(identity);
  });

  afterAll(async () => {
    for (const nc of Object.values(conns)) await nc.close();
    await app?.close();
    await nats?.stop();
    await db?.drop();
  });

  const as = (identity: string) => new CommandClient(conns[identity]!, ns);
  const rejections = async () =>
    Object.fromEntries((await pool.query<{ kind: string; count: string }>(`SELECT kind, count FROM feed_rejections WHERE consumer = 'commands:releaser'`)).rows.map((r) => [r.kind, Number(r.count)]));

  it('refuses a publisher whose key is bound to no live token, and a command carrying a token header; counts each', async () => {
    await expect(as('unbound').request('releaser', 'get-app', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.UNAUTHORIZED', message: expect.stringContaining(nats.publicKey('unbound')) });
    await expect(as('revoked').request('releaser', 'get-app', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.UNAUTHORIZED' });
    const h = headers();
    h.set('Authorization', 'Bearer hgr_whatever');
    const withToken = await conns.gateway!.request(commandSubject(ns, 'releaser', 'get-app'), new TextEncoder().encode('{"app":"x"}'), { timeout: 5000, headers: h });
    expect(decodeJson(withToken.data)).toMatchObject({ error: { code: 'AUTH.UNAUTHORIZED', message: expect.stringContaining('do not take tokens') } });
    expect(await rejections()).toMatchObject({ 'unbound-nats-user': 2, 'token-header': 1 });
  });

  it('ignores a Nats-Request-Info header a publisher writes itself: the server stamps the real sender', async () => {
    const h = headers();
    h.set('Nats-Request-Info', JSON.stringify({ acc: 'HANGAR', user: nats.publicKey('deployer') }));
    const forged = await conns.unbound!.request(commandSubject(ns, 'releaser', 'scale'), new TextEncoder().encode('{"app":"x"}'), { timeout: 5000, headers: h });
    expect(decodeJson(forged.data)).toMatchObject({ error: { code: 'AUTH.UNAUTHORIZED' } });
  });

  it("checks the bound token's scope: get-* needs app read, others app deploy, no app means admin", async () => {
    await expect(as('reader').request('releaser', 'get-app', { app: 'x' })).resolves.toEqual({ app: 'x' });
    await expect(as('reader').request('releaser', 'scale', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(as('other').request('releaser', 'get-app', { app: 'x' })).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(as('deployer').request('releaser', 'scale', {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });

  it("records a publisher's token as the actor, whatever the payload claims; a Hangar service's actor is trusted", async () => {
    await expect(as('deployer').request('releaser', 'scale', { app: 'x', actor: 'admin' })).resolves.toEqual({ app: 'x', actor: 'deployer' });
    await expect(as('deployer').request('releaser', 'scale', { app: 'x' })).resolves.toEqual({ app: 'x', actor: 'deployer' });
    await expect(as('gateway').request('releaser', 'scale', { app: 'x', actor: 'alice' })).resolves.toEqual({ app: 'x', actor: 'alice' });
    await expect(as('gateway').request('releaser', 'scale', { app: 'nothing-scoped' })).resolves.toMatchObject({ app: 'nothing-scoped' });
  });

  it('lets no one without credentials in, and no feed reader send a command', async () => {
    await expect(nats.connect(undefined)).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    await expect(as('feed').request('releaser', 'scale', { app: 'x', actor: 'admin' }, { timeoutMs: 2000 })).rejects.toThrow(/Permissions Violation|no answer|no service/i);
  });
});
