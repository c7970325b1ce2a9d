import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HangarError, type RegistrySource } from '@hangar/contracts';
import type { CommandClient } from '@hangar/messaging';
import { firstQueryValues, flattenHeaders, WebhookIngress, type IncomingDelivery } from './webhook-ingress.service';
import type { ReceiverCredentials, ReceiverDirectory } from './receiver-credentials';
import { DeliveryThrottle } from './delivery-throttle';
import { WebhookMetrics, type WebhookOutcome } from '../metrics/webhook-metrics';

const SECRET = 'rcv-secret-0123456789abcdef';
const DIGEST = 'sha256:' + 'ab'.repeat(32);

/** builder as seen over NATS: knows one receiver, for `registry.test:5000` unless told; records what it is sent. */
class FakeBuilder {
  readonly sent: { command: string; payload: Record<string, unknown> }[] = [];
  constructor(
    private readonly source: RegistrySource,
    private readonly binding: { host?: string; repositoryPrefix?: string } = { host: 'registry.test:5000' },
  ) {}

  async request<T>(_service: string, command: string, payload: Record<string, unknown>): Promise<T> {
    this.sent.push({ command, payload });
    if (command === 'receiver-credentials') {
      if (payload.receiverId !== '01JTQ3W5K8M2N4P6R8T0V2X4Y6') throw new HangarError('REGISTRY.RECEIVER_NOT_FOUND', `no receiver ${String(payload.receiverId)}`);
      return { receiver: { id: '01JTQ3W5K8M2N4P6R8T0V2X4Y6', source: this.source, ...this.binding, secret: SECRET } } as T;
    }
    if (command === 'record-delivery') {
      const pushes = payload.pushes as { host: string; repository: string; tag: string }[];
      return { pushes: pushes.map((p, i) => ({ status: 'recorded', pushEventId: `e${i}`, host: p.host, repository: p.repository, tag: p.tag })), ignored: (payload.ignored as unknown[]).length } as T;
    }
    throw new Error(`unexpected command ${command}`);
  }

  commands(): string[] {
    return this.sent.map((s) => s.command);
  }
}

/** The outcomes reported, as `source outcome`. */
class RecordedMetrics extends WebhookMetrics {
  readonly deliveries: string[] = [];
  delivery(source: RegistrySource | undefined, outcome: WebhookOutcome): void {
    this.deliveries.push(`${source ?? 'unknown'} ${outcome}`);
  }
}

/** The ingress with receivers looked up through the fake builder's `receiver-credentials`. */
function ingress(builder: FakeBuilder, metrics: WebhookMetrics = new RecordedMetrics(), throttle = new DeliveryThrottle()): WebhookIngress {
  const directory: ReceiverDirectory = {
    credentials: async (receiverId: string) => (await builder.request<{ receiver: ReceiverCredentials }>('builder', 'receiver-credentials', { receiverId })).receiver,
  };
  return new WebhookIngress(builder as unknown as CommandClient, directory, metrics, throttle);
}

function incoming(body: string | Buffer, headers: IncomingHttpHeaders = {}, url = '/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6', clientAddress = '192.0.2.7'): IncomingDelivery & { reads: number } {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const delivery = {
    headers: { 'content-length': String(raw.length), ...headers },
    query: firstQueryValues(url),
    reads: 0,
    readBody: async () => {
      delivery.reads += 1;
      return raw;
    },
    receivedAt: new Date('2026-05-01T12:00:05Z'),
    clientAddress,
  };
  return delivery;
}

const distributionEvent = (id: string, action: string, tag?: string) => ({
  id,
  timestamp: '2026-05-01T12:00:00.123456789Z',
  action,
  target: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: DIGEST, size: 500, repository: 'acme/web', url: `http://registry.test:5000/v2/acme/web/manifests/${DIGEST}`, ...(tag ? { tag } : {}) },
  request: { id: 'q', addr: '10.0.0.1', host: 'registry.test:5000', method: 'PUT', useragent: 'docker' },
  actor: {},
  source: { addr: 'reg:5000', instanceID: 'i' },
});

async function failure(promise: Promise<unknown>): Promise<HangarError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HangarError) return error;
    throw error;
  }
  throw new Error('expected a HangarError');
}

describe(WebhookIngress.name, () => {
  const bearer = { authorization: `Bearer ${SECRET}` };

  it('records the pushes and the ignored items of an authenticated batch in one record-delivery', async () => {
    const builder = new FakeBuilder('distribution');
    const sut = ingress(builder);
    const body = JSON.stringify({ events: [distributionEvent('e-push', 'push', '1.0'), distributionEvent('e-pull', 'pull', '1.0'), { id: 'e-bad', action: 'push', target: { mediaType: 'application/vnd.oci.image.index.v1+json', tag: '2.0' } }] });
    const answer = await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, bearer));
    expect(answer).toEqual({ pushes: [{ status: 'recorded', pushEventId: 'e0', host: 'registry.test:5000', repository: 'acme/web', tag: '1.0' }], ignored: 2 });
    expect(builder.commands()).toEqual(['receiver-credentials', 'record-delivery']);
    const sent = builder.sent[1]!.payload;
    expect(sent).toMatchObject({ receiverId: '01JTQ3W5K8M2N4P6R8T0V2X4Y6', source: 'distribution', pushes: [{ host: 'registry.test:5000', repository: 'acme/web', tag: '1.0', digest: DIGEST, deliveryId: 'e-push' }] });
    expect(sent.ignored).toEqual([expect.objectContaining({ deliveryId: 'e-pull' }), { reason: expect.stringMatching(/^invalid event: events\[2\]\.target\.repository/) }]);
    expect(JSON.stringify(sent)).not.toContain(SECRET);
  });

  it('answers 401 without the secret and sends nothing but the credentials lookup, never echoing the secret', async () => {
    const builder = new FakeBuilder('distribution');
    const sut = ingress(builder);
    const error = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(JSON.stringify({ events: [distributionEvent('e', 'push', '1.0')] }), { authorization: `Bearer ${SECRET}x` })));
    expect(error.code).toBe('WEBHOOK.UNAUTHORIZED');
    expect(JSON.stringify(error.toBody())).not.toContain(SECRET);
    expect(builder.commands()).toEqual(['receiver-credentials']);
  });

  it('answers 401, not 400, to a truncated body with a bad signature; 400 naming the field with a good one', async () => {
    const builder = new FakeBuilder('ghcr');
    const sut = ingress(builder);
    const truncated = '{"action":"published","package":{"name":"web","namesp';
    const unsigned = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(truncated, { 'x-github-event': 'package', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` })));
    expect(unsigned.code).toBe('WEBHOOK.UNAUTHORIZED');
    const signature = `sha256=${createHmac('sha256', SECRET).update(truncated).digest('hex')}`;
    const invalid = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(truncated, { 'x-github-event': 'package', 'x-hub-signature-256': signature })));
    expect(invalid.toBody()).toEqual({ error: { code: 'WEBHOOK.INVALID_PAYLOAD', message: expect.stringContaining('not valid JSON'), details: { path: 'body' } } });
    expect(builder.commands()).toEqual(['receiver-credentials', 'receiver-credentials']);
  });

  it('answers 400 naming the first bad event when a batch holds nothing usable, recording nothing', async () => {
    const builder = new FakeBuilder('distribution');
    const sut = ingress(builder);
    const body = JSON.stringify({ events: [{ id: 'a', action: 'push' }, { id: 'b' }] });
    const error = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, bearer)));
    expect(error.code).toBe('WEBHOOK.INVALID_PAYLOAD');
    expect(error.details).toEqual({ path: 'events[0].target' });
    expect(builder.commands()).toEqual(['receiver-credentials']);
  });

  it('answers 413 to a declared body over 1 MiB before asking builder anything or reading it', async () => {
    const builder = new FakeBuilder('distribution');
    const sut = ingress(builder);
    const request = incoming('{}', { ...bearer, 'content-length': String(1_048_577) });
    expect((await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', request))).code).toBe('WEBHOOK.TOO_LARGE');
    expect(builder.commands()).toEqual([]);
    expect(request.reads).toBe(0);
  });

  it('answers 404 to an id no receiver could have without asking builder, and passes on builder 404s', async () => {
    const builder = new FakeBuilder('distribution');
    const sut = ingress(builder);
    expect((await failure(sut.receive('../../etc', incoming('{}', bearer)))).code).toBe('REGISTRY.RECEIVER_NOT_FOUND');
    expect(builder.commands()).toEqual([]);
    const request = incoming('{}', bearer);
    expect((await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y7', request))).code).toBe('REGISTRY.RECEIVER_NOT_FOUND');
    expect(request.reads).toBe(0);
  });

  it('takes the secret from ?token= for registries that cannot send a header (Docker Hub)', async () => {
    const builder = new FakeBuilder('dockerhub', {});
    const sut = ingress(builder);
    const body = JSON.stringify({ push_data: { pushed_at: 1777636800, pusher: 'acme', tag: 'latest' }, repository: { repo_name: 'acme/web', name: 'web', namespace: 'acme' } });
    const answer = await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, { 'content-type': 'application/json' }, `/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6?token=${encodeURIComponent(SECRET)}&token=other`));
    expect(answer.pushes).toEqual([expect.objectContaining({ host: 'docker.io', repository: 'acme/web', tag: 'latest' })]);
    const refused = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, {}, '/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6?token=nope')));
    expect(refused.code).toBe('WEBHOOK.UNAUTHORIZED');
    expect(builder.commands()).toEqual(['receiver-credentials', 'record-delivery', 'receiver-credentials']);
  });

  it('counts each delivery once by source and outcome, refusals before the receiver is known as source unknown', async () => {
    const builder = new FakeBuilder('distribution');
    const metrics = new RecordedMetrics();
    const sut = ingress(builder, metrics);
    const push = JSON.stringify({ events: [distributionEvent('e-push', 'push', '1.0')] });
    await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(push, bearer));
    await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(JSON.stringify({ events: [distributionEvent('e-pull', 'pull', '1.0')] }), bearer));
    await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(push, { authorization: 'Bearer nope' })));
    await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(JSON.stringify({ events: [{ id: 'a', action: 'push' }, { id: 'b' }] }), bearer)));
    await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming('{}', { ...bearer, 'content-length': String(1_048_577) })));
    await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y7', incoming('{}', bearer)));
    expect(metrics.deliveries).toEqual([
      'distribution recorded',
      'distribution ignored',
      'distribution unauthorized',
      'distribution invalid',
      'unknown too_large',
      'unknown not_found',
    ]);
  });

  it('answers 403 naming the host to a push for another registry host, recording nothing', async () => {
    const builder = new FakeBuilder('distribution', { host: 'registry.example.com' });
    const metrics = new RecordedMetrics();
    const sut = ingress(builder, metrics);
    const body = JSON.stringify({ events: [distributionEvent('e-push', 'push', '1.0')] });
    const error = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, bearer)));
    expect(error.toBody()).toEqual({
      error: { code: 'WEBHOOK.FORBIDDEN', message: 'receiver 01JTQ3W5K8M2N4P6R8T0V2X4Y6 is for registry host registry.example.com; the delivery names a push to host registry.test:5000', details: { receiverId: '01JTQ3W5K8M2N4P6R8T0V2X4Y6' } },
    });
    expect(builder.commands()).toEqual(['receiver-credentials']);
    expect(metrics.deliveries).toEqual(['distribution forbidden']);
  });

  it('answers 403 to a batch with one push outside the prefix, recording none of it', async () => {
    const builder = new FakeBuilder('distribution', { host: 'registry.test:5000', repositoryPrefix: 'acme' });
    const sut = ingress(builder);
    const inside = distributionEvent('e-1', 'push', '1.0');
    const outside = { ...distributionEvent('e-2', 'push', '1.0'), target: { ...inside.target, repository: 'acme-evil/web' } };
    const error = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(JSON.stringify({ events: [inside, outside] }), bearer)));
    expect(error.code).toBe('WEBHOOK.FORBIDDEN');
    expect(error.message).toBe('receiver 01JTQ3W5K8M2N4P6R8T0V2X4Y6 is for repositories under registry.test:5000/acme; the delivery names a push to registry.test:5000/acme-evil/web');
    expect(builder.commands()).toEqual(['receiver-credentials']);
    expect(await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(JSON.stringify({ events: [inside] }), bearer))).toMatchObject({ pushes: [expect.objectContaining({ repository: 'acme/web' })] });
  });

  it('a fixed-host source needs no host recorded (Docker Hub is docker.io), and its prefix still holds', async () => {
    const builder = new FakeBuilder('dockerhub', {});
    const sut = ingress(builder);
    const body = JSON.stringify({ push_data: { pushed_at: 1777636800, pusher: 'acme', tag: 'latest' }, repository: { repo_name: 'acme/web', name: 'web', namespace: 'acme' } });
    const forDocker = await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, {}, `/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6?token=${SECRET}`));
    expect(forDocker.pushes).toHaveLength(1);
    const pinned = new FakeBuilder('dockerhub', { host: 'docker.io', repositoryPrefix: 'other' });
    const refused = await failure(ingress(pinned).receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, {}, `/v1/webhooks/registry/01JTQ3W5K8M2N4P6R8T0V2X4Y6?token=${SECRET}`)));
    expect(refused.message).toContain('is for repositories under docker.io/other');
  });

  it('a self-hosted receiver with no host recorded (added before hosts were) refuses every delivery, even an empty one, once authenticated', async () => {
    const builder = new FakeBuilder('distribution', {});
    const sut = ingress(builder);
    for (const body of [JSON.stringify({ events: [distributionEvent('e-push', 'push', '1.0')] }), '{"events":[]}']) {
      const error = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming(body, bearer)));
      expect(error.code).toBe('WEBHOOK.FORBIDDEN');
      expect(error.message).toMatch(/has no registry host recorded, so it reports no pushes: add a receiver with its host \(receivers add --source distribution --host <host>\)/);
    }
    expect((await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming('{"events":[]}', { authorization: 'Bearer nope' })))).code).toBe('WEBHOOK.UNAUTHORIZED');
    expect(builder.commands()).toEqual(['receiver-credentials', 'receiver-credentials', 'receiver-credentials']);
  });

  it('sends nothing for a delivery that holds nothing at all', async () => {
    const builder = new FakeBuilder('distribution');
    const sut = ingress(builder);
    expect(await sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', incoming('{"events":[]}', bearer))).toEqual({ pushes: [], ignored: 0 });
    expect(builder.commands()).toEqual(['receiver-credentials']);
  });
});

describe(flattenHeaders.name, () => {
  it('answers 429 without asking builder once an address or a receiver caused too many 404s and 401s, and counts it', async () => {
    const builder = new FakeBuilder('distribution');
    const metrics = new RecordedMetrics();
    const sut = ingress(builder, metrics, new DeliveryThrottle({ windowMs: 60_000, perAddress: 3, perReceiver: 4, maxKeys: 100 }));
    const badSecret = () => incoming('{}', { authorization: 'Bearer wrong' });
    for (let i = 0; i < 3; i++) expect((await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', badSecret()))).code).toBe('WEBHOOK.UNAUTHORIZED');
    const throttled = await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', badSecret()));
    expect(throttled.toBody()).toEqual({ error: { code: 'WEBHOOK.TOO_MANY_FAILURES', message: expect.stringMatching(/try again in 60 s$/), details: { retryAfterSeconds: 60 } } });
    expect(builder.commands()).toHaveLength(3);
    // Another address may still reach the receiver until the receiver's own budget is spent.
    const elsewhere = () => incoming('{}', { authorization: 'Bearer wrong' }, undefined, '198.51.100.9');
    expect((await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', elsewhere()))).code).toBe('WEBHOOK.UNAUTHORIZED');
    expect((await failure(sut.receive('01JTQ3W5K8M2N4P6R8T0V2X4Y6', elsewhere()))).code).toBe('WEBHOOK.TOO_MANY_FAILURES');
    expect(metrics.deliveries.filter((d) => d === 'unknown throttled')).toHaveLength(2);
  });

  it('joins a repeated header with ", " and keeps names lower-case', () => {
    expect(flattenHeaders({ 'x-a': ['1', '2'], authorization: 'Bearer t' })).toEqual({ 'x-a': '1, 2', authorization: 'Bearer t' });
  });
});

describe(firstQueryValues.name, () => {
  it('keeps the first value of each parameter, decoded', () => {
    expect(firstQueryValues('/v1/webhooks/registry/r?token=a%2Bb&token=c&x=')).toEqual({ token: 'a+b', x: '' });
    expect(firstQueryValues('/v1/webhooks/registry/r')).toEqual({});
  });
});
