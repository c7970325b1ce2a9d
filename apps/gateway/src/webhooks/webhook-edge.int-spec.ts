import { request as httpRequest } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { commandSubject } from '@hangar/contracts';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_NATS_URL, type TestDatabase } from '@hangar/testing';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';

jest.setTimeout(60_000);

const SECRET = 'edge-secret-0123456789abcdef';

/**
 * The HTTP edge of webhook ingress and receivers, over a real gateway and real NATS, with builder
 * played by a responder that records every command: the JSON parsers leave webhook bodies alone (and
 * still parse, and refuse malformed bodies, everywhere else), oversize and unauthenticated deliveries
 * are refused before anything is recorded, and receiver URLs are built on HANGAR_PUBLIC_URL.
 */
describe('gateway webhook edge (fake builder on NATS)', () => {
  let db: TestDatabase;
  let nc: NatsConnection;
  let app: INestApplication;
  let url: string;
  const ns = testNamespace('w');
  const adminToken = `admin-${ns}-0123456789`;
  const received: { command: string; payload: Record<string, unknown> }[] = [];
  const subscriptions: Subscription[] = [];

  const builderAnswers: Record<string, (payload: Record<string, unknown>) => unknown> = {
    'receiver-credentials': (p) =>
      p.receiverId === '01JTQ3W5K8M2N4P6R8T0V2X4Y6' ? { receiver: { id: '01JTQ3W5K8M2N4P6R8T0V2X4Y6', source: 'distribution', secret: SECRET } } : { error: { code: 'REGISTRY.RECEIVER_NOT_FOUND', message: `no receiver ${String(p.receiverId)}` } },
    'record-delivery': (p) => ({
      pushes: (p.pushes as { host: string; repository: string; tag: string }[]).map((x) => ({ status: 'recorded', pushEventId: 'ev1', host: x.host, repository: x.repository, tag: x.tag })),
      ignored: (p.ignored as unknown[]).length,
    }),
    'add-receiver': (p) => ({ receiver: { id: '01JTQ3W5K8M2N4P6R8T0V2X4Z7', source: p.source, createdAt: '2026-05-01T12:00:00.000Z', createdBy: p.actor }, ...(p.secret ? {} : { secret: 'generated-secret-xyz' }) }),
    'list-receivers': () => ({ receivers: [{ id: '01JTQ3W5K8M2N4P6R8T0V2X4Z7', source: 'ghcr', createdAt: '2026-05-01T12:00:00.000Z', createdBy: 'admin' }] }),
  };
  const commands = () => received.map((r) => r.command);

  beforeAll(async () => {
    db = await createTestDatabase('hangar_webhook_edge');
    await prepareHangarDatabase(db.url);
    nc = await connect({ servers: TEST_NATS_URL });
    for (const [command, answer] of Object.entries(builderAnswers)) {
      subscriptions.push(
        nc.subscribe(commandSubject(ns, 'builder', command), {
          callback: (_err, msg) => {
            const payload = JSON.parse(new TextDecoder().decode(msg.data)) as Record<string, unknown>;
            received.push({ command, payload });
            msg.respond(JSON.stringify(answer(payload)));
          },
        }),
      );
    }
    await nc.flush();
    const started = await startGateway(
      gatewayConfig({
        DATABASE_URL: db.url,
        NATS_URL: TEST_NATS_URL,
        HANGAR_NAMESPACE: ns,
        HANGAR_HTTP_PORT: '0',
        HANGAR_ADMIN_TOKEN: adminToken,
        HANGAR_PUBLIC_URL: 'https://hangar.example.com/ci/',
      }),
    );
    app = started.app;
    url = started.url;
  });

  afterAll(async () => {
    await app?.close();
    subscriptions.forEach((s) => s.unsubscribe());
    await nc?.drain();
    await db?.drop();
  });

  beforeEach(() => {
    received.length = 0;
  });

  const pushBody = JSON.stringify({
    events: [
      {
        id: 'e1',
        timestamp: '2026-05-01T12:00:00Z',
        action: 'push',
        target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'cd'.repeat(32)}`, size: 400, repository: 'acme/web', tag: '1.0' },
        request: { id: 'q', addr: '10.0.0.1', host: 'registry.test:5000', method: 'PUT', useragent: 'docker' },
      },
    ],
  });

  it('hands the raw body of a JSON webhook delivery to the dialect (the JSON parser skips it), whatever the path case', async () => {
    for (const path of ['/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6', '/V1/Webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6']) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` }, body: pushBody });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ pushes: [{ status: 'recorded', pushEventId: 'ev1', host: 'registry.test:5000', repository: 'acme/web', tag: '1.0' }], ignored: 0 });
    }
    expect(commands()).toEqual(['receiver-credentials', 'record-delivery', 'receiver-credentials', 'record-delivery']);
    expect(received[1]!.payload).toMatchObject({ receiverId: '01JTQ3W5K8M2N4P6R8T0V2X4Y6', source: 'distribution', pushes: [{ repository: 'acme/web', tag: '1.0', deliveryId: 'e1' }] });
  });

  it('answers 401 to a delivery without the secret and records nothing', async () => {
    const res = await fetch(`${url}/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer wrong' }, body: pushBody });
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'WEBHOOK.UNAUTHORIZED' } });
    expect(body).not.toContain(SECRET);
    expect(commands()).toEqual(['receiver-credentials']);
  });

  it('answers 404 for an unknown receiver, and for an id no receiver could have without asking builder', async () => {
    const unknown = await fetch(`${url}/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y9`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}` }, body: pushBody });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'REGISTRY.RECEIVER_NOT_FOUND' } });
    expect(commands()).toEqual(['receiver-credentials']);
    const malformed = await fetch(`${url}/v1/webhooks/registry/nobody`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}` }, body: pushBody });
    expect(malformed.status).toBe(404);
    expect(commands()).toEqual(['receiver-credentials']);
  });

  it('answers 413 with Connection: close to a chunked body over 1 MiB while it is still being sent, recording nothing', async () => {
    const res = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('no response within 10 s')), 10_000);
      const req = httpRequest(`${url}/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` } }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => {
          clearTimeout(deadline);
          req.destroy();
          resolve({ status: r.statusCode ?? 0, body: Buffer.concat(parts).toString(), ...(r.headers.connection ? { connection: r.headers.connection } : {}) });
        });
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const next = (): void => {
        if (req.destroyed || sent > 1_048_576) return; // never ends: the answer must not wait for the end
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(next);
        else req.once('drain', next);
      };
      next();
    });
    expect(res.status).toBe(413);
    expect(res.connection).toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'WEBHOOK.TOO_LARGE' } });
    expect(commands()).not.toContain('record-delivery');
  });

  it('answers 413 to a declared Content-Length over 1 MiB without asking builder', async () => {
    const res = await fetch(`${url}/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}` }, body: Buffer.alloc(1_048_577, 0x20) });
    expect(res.status).toBe(413);
    expect(commands()).toEqual([]);
  });

  it('still parses JSON bodies of other routes, and answers 400 to malformed ones', async () => {
    const auth = { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${url}/v1/receivers`, { method: 'POST', headers: auth, body: JSON.stringify({ source: 'ghcr' }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ receiver: { id: '01JTQ3W5K8M2N4P6R8T0V2X4Z7', source: 'ghcr', url: 'https://hangar.example.com/ci/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Z7', secret: 'generated-secret-xyz' } });
    expect(received.find((r) => r.command === 'add-receiver')?.payload).toEqual({ source: 'ghcr', actor: 'admin' });

    const malformed = await fetch(`${url}/v1/receivers`, { method: 'POST', headers: auth, body: '{"source":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'REQUEST.INVALID' } });

    const form = await fetch(`${url}/v1/receivers`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'source=quay&secret=given-secret-123' });
    expect(form.status).toBe(201);
    expect(((await form.json()) as { receiver: Record<string, unknown> }).receiver).toEqual({ id: '01JTQ3W5K8M2N4P6R8T0V2X4Z7', source: 'quay', url: 'https://hangar.example.com/ci/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Z7' });
  });

  it('lists receivers with their URL and never a secret', async () => {
    const res = await fetch(`${url}/v1/receivers`, { headers: { Authorization: `Bearer ${adminToken}` } });
    expect(await res.json()).toEqual({ receivers: [{ id: '01JTQ3W5K8M2N4P6R8T0V2X4Z7', source: 'ghcr', url: 'https://hangar.example.com/ci/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Z7', createdAt: '2026-05-01T12:00:00.000Z', createdBy: 'admin' }] });
  });
});
