import { FLY_GO_DIFFERENCES } from './fly-go-differences';
import { MachinesContract, type Exchange } from './machines-contract';

const exchange = (over: Partial<Exchange> & Pick<Exchange, 'method' | 'path'>): Exchange => ({
  query: {},
  request: { authScheme: 'Bearer', leaseNonce: false, idempotencyKey: false },
  status: 200,
  response: {},
  ...over,
});

const machine = { id: 'm1', name: 'm1', state: 'started', region: 'ams', instance_id: 'i1', config: { image: 'nginx', checks: { alive: { type: 'tcp', port: 80, interval: '10s' } } } };

describe(MachinesContract.name, () => {
  const sut = new MachinesContract();

  it('accepts what fly-go sends and Fly answers: string durations, wrapped leases, metadata { value }, ?kill=', () => {
    const ok = [
      exchange({ method: 'POST', path: '/v1/apps/a/machines', request: { authScheme: 'FlyV1', leaseNonce: false, idempotencyKey: false, body: { config: machine.config, region: 'ams' } }, response: { body: machine } }),
      exchange({ method: 'POST', path: '/v1/apps/a/machines/m1/lease', query: { ttl: '13' }, request: { authScheme: 'Bearer', leaseNonce: false, idempotencyKey: false, body: { ttl: 13 } }, response: { body: { status: 'success', data: { nonce: 'n', expires_at: 1 } } } }),
      exchange({ method: 'POST', path: '/v1/apps/a/machines/m1/metadata/k', request: { authScheme: 'Bearer', leaseNonce: false, idempotencyKey: false, body: { value: 'v' } }, status: 204 }),
      exchange({ method: 'DELETE', path: '/v1/apps/a/machines/m1', query: { kill: 'true' } }),
      exchange({ method: 'GET', path: '/v1/apps/a/machines/m1', status: 429, response: { retryAfter: '1', body: { error: 'rate limit exceeded' } } }),
      exchange({ method: 'GET', path: '/v1/apps/a/machines/m1', response: { body: { ...machine, config: undefined, host_status: 'unreachable', incomplete_config: { image: 'nginx' } } } }),
      exchange({ method: 'POST', path: '/fleet/v1/faults', request: { leaseNonce: false, idempotencyKey: false } }),
    ];
    for (const x of ok) expect(sut.check(x).problems).toEqual([]);
  });

  it.each<[string, Exchange, RegExp]>([
    ['a duration as a number object', exchange({ method: 'POST', path: '/v1/apps/a/machines/m1', request: { authScheme: 'Bearer', leaseNonce: true, idempotencyKey: false, body: { config: { image: 'x', stop_config: { timeout: { 'time.Duration': 5 } } } } }, response: { body: machine } }), /stop_config\/timeout/],
    ['an unknown request property', exchange({ method: 'POST', path: '/v1/apps/a/machines', request: { authScheme: 'Bearer', leaseNonce: false, idempotencyKey: false, body: { config: { image: 'x', dns: { skip_registraton: true } } } }, response: { body: machine } }), /skip_registraton/],
    ['the Idempotency-Key header', exchange({ method: 'POST', path: '/v1/apps/a/machines', request: { authScheme: 'Bearer', leaseNonce: false, idempotencyKey: true, body: { config: { image: 'x' } } }, response: { body: machine } }), /Idempotency-Key/],
    ['a route not in the spec', exchange({ method: 'GET', path: '/v1/apps/a/machines/m1/metadata/k' }), /not a route/],
    ['a fleet route not listed', exchange({ method: 'GET', path: '/fleet/v1/apps/a/secrets' }), /not a route/],
    ['a 429 without Retry-After', exchange({ method: 'GET', path: '/v1/apps/a/machines/m1', status: 429, response: { body: { error: 'slow' } } }), /Retry-After/],
    ['a bare lease', exchange({ method: 'POST', path: '/v1/apps/a/machines/m1/lease', response: { body: { nonce: 'n', expires_at: 1 } } }), /required property 'status'/],
    ['a wait longer than 60 s', exchange({ method: 'GET', path: '/v1/apps/a/machines/m1/wait', query: { state: 'started', timeout: '300' } }), /timeout=300/],
    ['a token without a scheme', exchange({ method: 'GET', path: '/v1/apps/a/machines', request: { leaseNonce: false, idempotencyKey: false } }), /Authorization scheme/],
    ['a wrongly typed response field', exchange({ method: 'GET', path: '/v1/apps/a/machines/m1', response: { body: { ...machine, instance_id: 7 } } }), /instance_id/],
  ])('refuses %s', (_what, x, problem) => {
    expect(sut.check(x).problems.join('\n')).toMatch(problem);
  });

  it('documents each fly-go difference with the fly-go source that shows it', () => {
    for (const d of FLY_GO_DIFFERENCES) expect(d.flyGo).toMatch(/\.go\b/);
    expect(new Set(FLY_GO_DIFFERENCES.map((d) => d.id)).size).toBe(FLY_GO_DIFFERENCES.length);
  });
});
