import type { INestApplication } from '@nestjs/common';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';

jest.setTimeout(120_000);

/** Bodies the gateway must refuse with a 4xx naming what is wrong (G6), never a 500: security review rows 30, 32, 34, 98. */
describe('gateway request bodies', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  const ns = testNamespace('b');
  const adminToken = `admin-${ns}-0123456789`;

  const post = async (path: string, body: string) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body });
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
  };

  beforeAll(async () => {
    db = await createTestDatabase('hangar_bodies');
    await prepareHangarDatabase(db.url);
    ({ app, url } = await startGateway(gatewayConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: ns, HANGAR_HTTP_PORT: '0', HANGAR_ADMIN_TOKEN: adminToken })));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 413 REQUEST.TOO_LARGE for a JSON body over 1 MiB', async () => {
    const res = await post('/v1/apps', JSON.stringify({ name: 'big', pad: 'x'.repeat(1_100_000) }));
    expect(res).toEqual({ status: 413, body: { error: { code: 'REQUEST.TOO_LARGE', message: 'request body is over the limit of 1048576 bytes' } } });
  });

  it('answers 400 for JSON nested 3000 levels deep', async () => {
    const res = await post('/v1/apps/demo/deploys', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'REQUEST.INVALID', message: expect.stringContaining('nested deeper than 64 levels') });
  });

  it('answers 400 naming the field for a NUL character', async () => {
    const res = await post('/v1/apps/demo/deploys', JSON.stringify({ image: 'x', config: { env: { A: 'a\u0000b' } } }));
    expect(res).toEqual({ status: 400, body: { error: { code: 'REQUEST.INVALID', message: 'config.env.A: contains a NUL character' } } });
  });

  it('answers 400 for a body that is not JSON', async () => {
    expect(await post('/v1/apps', 'not json')).toEqual({ status: 400, body: { error: { code: 'REQUEST.INVALID', message: 'malformed request body: expected JSON' } } });
  });
});
