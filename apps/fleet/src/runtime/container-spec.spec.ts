import type { MachineConfig } from '@hangar/machines-api';
import { createArgs, envOf, internalPorts, machineEnv, stopTimeoutSeconds, type ContainerInput } from './container-spec';
import { isLoopbackHost, mayRestart, mirroredReference, pullReference } from './podman-runtime';
import { stopPlan } from './container-spec';

const config: MachineConfig = {
  image: '127.0.0.1:5000/demo:v1@sha256:' + 'a'.repeat(64),
  env: { GREETING: 'hi', DB_PASS: 'hunter2', PATH: '/custom/bin' },
  init: { cmd: ['serve', '--port', '8080'] },
  metadata: { fly_process_group: 'web', fly_release_version: '7' },
  services: [{ protocol: 'tcp', internal_port: 8080, checks: [{ type: 'tcp', port: 9090 }] }],
  checks: { alive: { type: 'http', port: 8081, path: '/health' } },
  stop_config: { signal: 'SIGTERM', timeout: '2500ms' },
};
const input: ContainerInput = { fleetId: 'db1', machineId: '0123456789abcd', instanceId: '01JABCDEF', app: 'demo', region: 'local', config, image: '127.0.0.1:5000/demo@sha256:' + 'a'.repeat(64), volumes: [{ name: 'hangar-db1-vol_x', path: '/data' }] };

describe('container spec', () => {
  it('gives the container the FLY_* variables a Fly machine sees, the config env winning', () => {
    expect(machineEnv(input)).toMatchObject({
      FLY_APP_NAME: 'demo',
      FLY_MACHINE_ID: '0123456789abcd',
      FLY_REGION: 'local',
      FLY_PROCESS_GROUP: 'web',
      FLY_IMAGE_REF: config.image,
      FLY_MACHINE_VERSION: '01JABCDEF',
      PRIMARY_REGION: 'local',
      HANGAR_RELEASE_VERSION: '7',
      GREETING: 'hi',
    });
  });

  it('puts no environment value on the command line but those podman itself reads', () => {
    const args = createArgs(input);
    expect(args.join(' ')).not.toContain('hunter2');
    expect(args).toEqual(expect.arrayContaining(['--env', 'DB_PASS', '--env', 'PATH=/custom/bin']));
    expect(envOf(input)).toMatchObject({ DB_PASS: 'hunter2' });
    expect(envOf(input)).not.toHaveProperty('PATH');
  });

  it('publishes every service and check port on 127.0.0.1, mounts volumes, runs the command after the image', () => {
    expect(internalPorts(config)).toEqual([8080, 8081, 9090]);
    const args = createArgs(input);
    expect(args).toEqual(expect.arrayContaining(['--publish', '127.0.0.1::8080', '--publish', '127.0.0.1::9090', '--volume', 'hangar-db1-vol_x:/data', '--stop-signal', 'SIGTERM', '--stop-timeout', '3']));
    expect(args.slice(-4)).toEqual([input.image, 'serve', '--port', '8080']);
    expect(createArgs({ ...input, config: { ...config, init: { exec: ['/bin/sh', '-c', 'x'] } } }).slice(-1)).toEqual([input.image]);
  });

  it('stops with SIGINT after 5 s unless the config says otherwise, as Fly does', () => {
    expect(stopTimeoutSeconds({ image: 'x' })).toBe(5);
    expect(createArgs({ ...input, config: { image: 'x' } })).toEqual(expect.arrayContaining(['--stop-signal', 'SIGINT', '--stop-timeout', '5']));
  });
});

describe('podman runtime rules', () => {
  it('pulls a pinned image by digest alone', () => {
    expect(pullReference('127.0.0.1:5000/demo:v1@sha256:abc')).toBe('127.0.0.1:5000/demo@sha256:abc');
    expect(pullReference('127.0.0.1:5000/demo@sha256:abc')).toBe('127.0.0.1:5000/demo@sha256:abc');
    expect(pullReference('127.0.0.1:5000/demo:v1')).toBe('127.0.0.1:5000/demo:v1');
  });

  it('pulls from the mirror of the image registry when one is configured', () => {
    const mirrors = { 'docker.io': 'mirror.internal:5000', 'ghcr.io': '127.0.0.1:5000' };
    expect(mirroredReference('ghcr.io/acme/web@sha256:abc', mirrors)).toBe('127.0.0.1:5000/acme/web@sha256:abc');
    expect(mirroredReference('nginx@sha256:abc', mirrors)).toBe('mirror.internal:5000/library/nginx@sha256:abc');
    expect(mirroredReference('acme/web@sha256:abc', mirrors)).toBe('mirror.internal:5000/acme/web@sha256:abc');
    expect(mirroredReference('quay.io/acme/web@sha256:abc', mirrors)).toBe('quay.io/acme/web@sha256:abc');
  });

  it('treats loopback registries as plain HTTP', () => {
    expect(['127.0.0.1:5000', 'localhost:5000', '[::1]:5000'].map(isLoopbackHost)).toEqual([true, true, true]);
    expect(isLoopbackHost('registry.example.com')).toBe(false);
  });

  it('restarts under always, on-failure with retries left, never under no; no policy is on-failure, as on Fly', () => {
    const m = (policy: 'no' | 'always' | 'on-failure', restarts = 0, max_retries?: number) => ({ config: { image: 'x', restart: { policy, ...(max_retries !== undefined ? { max_retries } : {}) } }, run: { bootMs: 0, outcome: 'serve' as const, exitCode: 0, runMs: 0, logs: [], unhealthy: false, restarts } });
    expect(mayRestart(m('always'), 0)).toBe(true);
    expect(mayRestart(m('no'), 1)).toBe(false);
    expect(mayRestart(m('on-failure'), 0)).toBe(false);
    expect(mayRestart(m('on-failure', 1, 2), 3)).toBe(true);
    expect(mayRestart(m('on-failure', 2, 2), 3)).toBe(false);
    expect(mayRestart({ config: { image: 'x' }, run: null }, 1)).toBe(true);
    expect(mayRestart({ config: { image: 'x' }, run: null }, 0)).toBe(false);
    expect(mayRestart({ config: { image: 'x', restart: { policy: 'on-failure' } }, run: { ...m('no').run, restarts: 10 } }, 1)).toBe(false);
  });

  it("stops with the stop request's signal and timeout over the config's stop_config", () => {
    const config = { image: 'x', stop_config: { signal: 'SIGTERM', timeout: '10s' } };
    expect(stopPlan(config, undefined)).toEqual({ signal: 'SIGTERM', seconds: 10, custom: false });
    expect(stopPlan({ image: 'x' }, {})).toEqual({ signal: 'SIGINT', seconds: 5, custom: false });
    expect(stopPlan(config, { signal: 'SIGUSR1', timeout: '1s' })).toEqual({ signal: 'SIGUSR1', seconds: 1, custom: true });
    expect(stopPlan(config, { signal: 'term', timeout: 3 })).toEqual({ signal: 'SIGTERM', seconds: 3, custom: false });
    expect(stopPlan(config, { timeout: '1500ms' })).toEqual({ signal: 'SIGTERM', seconds: 2, custom: false });
  });
});
