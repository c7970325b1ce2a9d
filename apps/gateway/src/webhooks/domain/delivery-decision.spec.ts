import type { NormalizedPush } from '@hangar/contracts';
import { decideDelivery } from './delivery-decision';
import { WebhookPayloadError, type ParsedDelivery, type RegistryDialect, type WebhookDelivery } from './webhook-delivery';

const push: NormalizedPush = { host: 'r.example', repository: 'acme/web', tag: '1.0', pushedAt: '2026-05-01T12:00:00.000Z', source: 'distribution' };

/** A dialect whose secret travels as `Authorization: Bearer <secret>` and whose parse result is given. */
function dialect(parse: (d: WebhookDelivery) => ParsedDelivery): RegistryDialect & { parsed: number } {
  const d = {
    source: 'distribution' as const,
    parsed: 0,
    authenticate: (secret: string, delivery: WebhookDelivery) =>
      delivery.headers.authorization === `Bearer ${secret}` ? ({ ok: true } as const) : ({ ok: false, reason: 'Authorization does not carry the receiver secret' } as const),
    parse: (delivery: WebhookDelivery) => {
      d.parsed += 1;
      return parse(delivery);
    },
  };
  return d;
}

const delivery = (authorization: string | undefined, body = '{}'): WebhookDelivery => ({
  headers: authorization ? { authorization } : {},
  query: {},
  body: Buffer.from(body),
  receivedAt: new Date('2026-05-01T12:00:01Z'),
});

describe(decideDelivery.name, () => {
  it('refuses a delivery without the secret before parsing it, even when the body is truncated', () => {
    const sut = dialect(() => {
      throw new WebhookPayloadError('$', 'not JSON');
    });
    expect(decideDelivery(sut, 's3cret', delivery('Bearer wrong', '{"events":['))).toEqual({ kind: 'unauthorized', reason: 'Authorization does not carry the receiver secret' });
    expect(sut.parsed).toBe(0);
  });

  it('answers invalid, naming the path, when the body as a whole is unusable', () => {
    const sut = dialect(() => {
      throw new WebhookPayloadError('events', 'must be an array');
    });
    expect(decideDelivery(sut, 's3cret', delivery('Bearer s3cret'))).toEqual({ kind: 'invalid', path: 'events', message: 'events must be an array' });
  });

  it('lets any other parser failure through (a bug, answered 500)', () => {
    const sut = dialect(() => {
      throw new TypeError('boom');
    });
    expect(() => decideDelivery(sut, 's3cret', delivery('Bearer s3cret'))).toThrow(TypeError);
  });

  it('answers invalid, naming the first bad event, when the batch holds nothing usable', () => {
    const sut = dialect(() => ({
      pushes: [],
      ignored: [],
      invalid: [
        { path: 'events[0].target.repository', message: 'is missing' },
        { path: 'events[1].timestamp', message: 'events[1].timestamp must be a time' },
      ],
    }));
    expect(decideDelivery(sut, 's3cret', delivery('Bearer s3cret'))).toEqual({ kind: 'invalid', path: 'events[0].target.repository', message: 'events[0].target.repository is missing' });
  });

  it('records the good events of a batch and the bad ones as ignored with the field at fault', () => {
    const sut = dialect(() => ({
      pushes: [push],
      ignored: [{ reason: 'pull of acme/web:1.0', deliveryId: 'e2' }],
      // Dialects start their messages with the path; it is not repeated.
      invalid: [{ path: 'events[2].target.repository', message: 'events[2].target.repository is missing' }],
    }));
    expect(decideDelivery(sut, 's3cret', delivery('Bearer s3cret'))).toEqual({
      kind: 'record',
      pushes: [push],
      ignored: [{ reason: 'pull of acme/web:1.0', deliveryId: 'e2' }, { reason: 'invalid event: events[2].target.repository is missing' }],
    });
  });

  it('records a delivery of only ignored items (a ping, a pull) so it is answered 2xx', () => {
    const sut = dialect(() => ({ pushes: [], ignored: [{ reason: 'ping' }], invalid: [{ path: 'x', message: 'y' }] }));
    expect(decideDelivery(sut, 's3cret', delivery('Bearer s3cret'))).toMatchObject({ kind: 'record', pushes: [], ignored: [{ reason: 'ping' }, { reason: 'invalid event: x y' }] });
  });

  it('clips a reason to the 500 characters builder records, so a long one never fails the delivery', () => {
    const sut = dialect(() => ({ pushes: [push], ignored: [], invalid: [{ path: 'events[1].target.repository', message: `events[1].target.repository ${'x'.repeat(600)} is not valid` }] }));
    const decision = decideDelivery(sut, 's3cret', delivery('Bearer s3cret'));
    if (decision.kind !== 'record') throw new Error(`expected record, got ${decision.kind}`);
    expect(decision.ignored[0]!.reason).toHaveLength(500);
    expect(decision.ignored[0]!.reason).toMatch(/^invalid event: events\[1\]\.target\.repository x+…$/);
  });
});
