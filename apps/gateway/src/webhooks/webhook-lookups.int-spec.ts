import { randomBytes } from 'node:crypto';
import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { ulid } from 'ulid';
import { commandSubject, eventsStreamName } from '@hangar/contracts';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_AUDIT_KEY, TEST_NATS_URL, TEST_NATS_ENV, type TestDatabase } from '@hangar/testing';
import { builderConfig } from '../../../builder/src/builder.config';
import { startBuilderService } from '../../../builder/src/builder.bootstrap';
import { secretsConfig } from '../../../secrets/src/secrets.config';
import { startSecretsService } from '../../../secrets/src/secrets.bootstrap';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';

jest.setTimeout(120_000);

/**
 * The unauthenticated cost of `POST /v1/webhooks/registry/:receiver` (review M6), with builder and
 * the secrets service real: lookups are cached (unknown ids too), and a flood of refused deliveries
 * from one address is answered 429 before any lookup.
 */
describe('webhook receiver lookups', () => {
  const ns = testNamespace('wl');
  const adminToken = `admin-${ns}-0123456789`;
  const env = { HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: ns, HANGAR_ADMIN_TOKEN: adminToken };
  let db: TestDatabase;
  let nc: NatsConnection;
  let services: INestMicroservice[] = [];
  let app: INestApplication;
  let url: string;
  const lookups = { receiver: 0, secret: 0 };

  const deliver = async (receiverId: string, authorization: string) => {
    const res = await fetch(`${url}/v1/webhooks/registry/${receiverId}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: authorization }, body: '{"events":[]}' });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code: ((await res.json()) as { error?: { code: string } }).error?.code };
  };
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    db = await createTestDatabase('hangar_wlookups');
    await prepareHangarDatabase(db.url);
    services = [
      await startSecretsService(secretsConfig({ ...env, DATABASE_URL: db.url, HANGAR_SECRETS_KEY: randomBytes(32).toString('base64') }), { prepareDatabase: false }),
      await startBuilderService(builderConfig({ ...env, DATABASE_URL: db.url }), { prepareDatabase: false }),
    ];
    ({ app, url } = await startGateway(gatewayConfig({ ...env, DATABASE_URL: db.url, HANGAR_HTTP_PORT: '0' })));
    nc = await connect({ servers: TEST_NATS_URL });
    // A plain subscription sees every request builder and secrets are sent, beside their queue groups.
    nc.subscribe(commandSubject(ns, 'builder', 'get-receiver'), { callback: () => (lookups.receiver += 1) });
    nc.subscribe(commandSubject(ns, 'secrets', 'receiver-secret'), { callback: () => (lookups.secret += 1) });
    await nc.flush();
  });

  afterAll(async () => {
    await app?.close();
    for (const service of services) await service.close();
    await (await nc?.jetstreamManager())?.streams.delete(eventsStreamName(ns)).catch(() => undefined);
    await nc?.close();
    await db?.drop();
  });

  it('looks up an unknown id and a known receiver once for repeated refused deliveries, and forgets a receiver removed here', async () => {
    const added = await admin('POST', '/v1/receivers', { source: 'distribution', host: 'registry.example.com' });
    expect(added.status).toBe(201);
    const { receiver } = (await added.json()) as { receiver: { id: string; secret: string } };

    for (let i = 0; i < 5; i++) expect(await deliver(receiver.id, 'Bearer not-the-secret')).toMatchObject({ status: 401, code: 'WEBHOOK.UNAUTHORIZED' });
    expect(lookups).toEqual({ receiver: 1, secret: 1 });

    const unknown = ulid();
    for (let i = 0; i < 5; i++) expect(await deliver(unknown, 'Bearer anything')).toMatchObject({ status: 404, code: 'REGISTRY.RECEIVER_NOT_FOUND' });
    expect(lookups).toEqual({ receiver: 2, secret: 1 });

    // The cached secret still authenticates: the delivery gets past authentication (nothing in it to record).
    expect((await deliver(receiver.id, `Bearer ${receiver.secret}`)).status).not.toBe(401);
    expect((await admin('DELETE', `/v1/receivers/${receiver.id}`)).status).toBe(200);
    expect(await deliver(receiver.id, `Bearer ${receiver.secret}`)).toMatchObject({ status: 404, code: 'REGISTRY.RECEIVER_NOT_FOUND' });
    expect(lookups).toEqual({ receiver: 3, secret: 1 });
  });

  it('answers a flood of refused deliveries from one address 429 with Retry-After, before any lookup', async () => {
    const answers: Awaited<ReturnType<typeof deliver>>[] = [];
    for (let i = 0; i < 80; i++) answers.push(await deliver(ulid(), 'Bearer anything'));
    const firstRefusal = answers.findIndex((a) => a.status === 429);
    expect(firstRefusal).toBeGreaterThan(0);
    expect(answers.slice(0, firstRefusal).every((a) => a.status === 404)).toBe(true);
    expect(answers.slice(firstRefusal).every((a) => a.status === 429 && a.code === 'WEBHOOK.TOO_MANY_FAILURES')).toBe(true);
    expect(Number(answers[firstRefusal]!.retryAfter)).toBeGreaterThan(0);

    const before = lookups.receiver;
    for (let i = 0; i < 10; i++) expect((await deliver(ulid(), 'Bearer anything')).status).toBe(429);
    expect(lookups.receiver).toBe(before);
  });
});
