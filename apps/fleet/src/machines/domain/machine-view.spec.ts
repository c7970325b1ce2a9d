import { checkStatuses, parseImageRef, toWireMachine } from './machine-view';
import type { SimEvent, SimMachine } from './sim.types';

const machine = (over: Partial<SimMachine> = {}): SimMachine => ({
  id: '0123456789abcd',
  app: 'a',
  name: 'n',
  region: 'local',
  state: 'started',
  instanceId: 'i1',
  config: {
    image: 'nginx',
    checks: { alive: { type: 'tcp', port: 8080 } },
    services: [{ protocol: 'tcp', internal_port: 8080, checks: [{ type: 'http', path: '/' }] }],
  },
  cordoned: false,
  createdAt: 0,
  updatedAt: 0,
  stateEnteredAt: 0,
  run: { bootMs: 0, outcome: 'serve', exitCode: 0, runMs: 0, logs: [], unhealthy: false },
  logs: [],
  ...over,
});

describe('checkStatuses', () => {
  it('passes every top-level and service check once started', () => {
    expect(checkStatuses(machine()).map((c) => [c.name, c.status])).toEqual([
      ['alive', 'passing'],
      ['servicecheck-00-http-8080', 'passing'],
    ]);
  });

  it('is critical while starting and when faulted unhealthy; empty without checks', () => {
    expect(checkStatuses(machine({ state: 'starting' })).every((c) => c.status === 'critical')).toBe(true);
    const sick = machine({ run: { bootMs: 0, outcome: 'serve', exitCode: 0, runMs: 0, logs: [], unhealthy: true } });
    expect(checkStatuses(sick).every((c) => c.status === 'critical')).toBe(true);
    expect(checkStatuses(machine({ config: { image: 'x' } }))).toEqual([]);
  });
});

describe('toWireMachine', () => {
  it('keeps Fly event types only, newest first as given, with the instance id', () => {
    const ev = (type: SimEvent['type'], timestamp: number): SimEvent => ({ type, status: 's', source: 'user', timestamp, instanceId: 'i1' });
    const wire = toWireMachine(machine(), [ev('start', 3), ev('cordon', 2), ev('launch', 1)], 'nonce1');
    expect(wire.events?.map((e) => e.type)).toEqual(['start', 'launch']);
    expect(wire.events?.[0].request?.instance_id).toBe('i1');
    expect(wire.nonce).toBe('nonce1');
  });
});

describe('parseImageRef', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: '' }],
    ['127.0.0.1:5000/demo:1', { registry: '127.0.0.1:5000', repository: 'demo', tag: '1', digest: '' }],
    ['registry.fly.io/app@sha256:abc', { registry: 'registry.fly.io', repository: 'app', tag: '', digest: 'sha256:abc' }],
    ['org/app:v2', { registry: 'docker.io', repository: 'org/app', tag: 'v2', digest: '' }],
  ])('%s', (image, expected) => {
    expect(parseImageRef(image)).toEqual(expected);
  });
});
