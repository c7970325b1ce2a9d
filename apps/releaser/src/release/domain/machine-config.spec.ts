import { parseAppConfigOrThrow } from '@hangar/app-config';
import { goDuration, machineConfigFor, pinnedImageRef, type MachineConfigInput } from './machine-config';
import { IMAGE, PINNED_IMAGE, appConfig } from './release-test.fixtures';

const base = (overrides: Partial<MachineConfigInput> = {}): MachineConfigInput => ({
  config: appConfig(),
  group: 'app',
  image: PINNED_IMAGE,
  releaseId: 'r1',
  releaseVersion: 7,
  ...overrides,
});

describe(machineConfigFor.name, () => {
  it('builds the full target config of a web group', () => {
    const config = appConfig({
      primaryRegion: 'ams',
      killSignal: 'SIGTERM',
      killTimeoutMs: 30_000,
      env: { LOG_LEVEL: 'debug' },
      processes: { web: 'bin/rails server -b "0.0.0.0"', worker: 'bin/jobs' },
      services: [
        {
          protocol: 'tcp',
          internalPort: 3000,
          processes: ['web'],
          ports: [{ port: 80, handlers: ['http'], forceHttps: true }, { port: 443, handlers: ['tls', 'http'] }],
          autoStopMachines: 'stop',
          autoStartMachines: true,
          minMachinesRunning: 1,
          checks: [{ type: 'http', intervalMs: 10_000, timeoutMs: 2_000, gracePeriodMs: 500, method: 'GET', path: '/up' }],
        },
      ],
      checks: {
        alive: { type: 'tcp', port: 3000, intervalMs: 15_000, processes: ['web'] },
        jobs: { type: 'http', port: 9000, path: '/jobs', processes: ['worker'] },
      },
    });
    expect(machineConfigFor(base({ config, group: 'web', existing: { guest: { cpu_kind: 'shared', cpus: 2, memory_mb: 512 } } }))).toEqual({
      image: PINNED_IMAGE,
      env: { LOG_LEVEL: 'debug', FLY_PROCESS_GROUP: 'web', PRIMARY_REGION: 'ams' },
      init: { cmd: ['bin/rails', 'server', '-b', '0.0.0.0'] },
      guest: { cpu_kind: 'shared', cpus: 2, memory_mb: 512 },
      metadata: { fly_platform_version: 'v2', fly_process_group: 'web', fly_release_id: 'r1', fly_release_version: '7' },
      services: [
        {
          protocol: 'tcp',
          internal_port: 3000,
          ports: [
            { port: 80, handlers: ['http'], force_https: true },
            { port: 443, handlers: ['tls', 'http'] },
          ],
          checks: [{ type: 'http', interval: '10s', timeout: '2s', grace_period: '500ms', method: 'GET', path: '/up' }],
          autostop: 'stop',
          autostart: true,
          min_machines_running: 1,
        },
      ],
      checks: { alive: { type: 'tcp', port: 3000, interval: '15s' } },
      stop_config: { signal: 'SIGTERM', timeout: '30s' },
    });
  });

  it('stops a machine with the seconds a bare kill_timeout gives and the milliseconds a bare check interval gives, as flyctl reads them', () => {
    const config = parseAppConfigOrThrow(
      ['kill_timeout = 10', '[experimental]', 'kill_timeout = 99', '[[services]]', 'internal_port = 8080', '[[services.tcp_checks]]', 'interval = 15000', 'grace_period = ""'].join('\n'),
    );
    const machine = machineConfigFor(base({ config }));
    expect(machine.stop_config).toEqual({ timeout: '10s' });
    expect(machine.services?.[0]?.checks).toEqual([{ type: 'tcp', port: 8080, interval: '15s' }]);
  });

  it('gives a group only its own services and checks, and no init when the command is empty', () => {
    const config = appConfig({
      processes: { web: 'w', worker: '' },
      services: [{ protocol: 'tcp', internalPort: 8080, ports: [], checks: [], processes: ['web'] }],
      checks: { web: { type: 'tcp', port: 8080, processes: ['web'] } },
    });
    const worker = machineConfigFor(base({ config, group: 'worker' }));
    expect(worker.services).toBeUndefined();
    expect(worker.checks).toBeUndefined();
    expect(worker.init).toBeUndefined();
    expect(worker.env).toEqual({ FLY_PROCESS_GROUP: 'worker' });
  });

  it('takes the guest from the first [[vm]] that applies, over the size preset', () => {
    const config = appConfig({ vm: [{ size: 'performance-2x', memoryMb: 8192, processes: ['app'] }, { cpus: 8 }] });
    expect(machineConfigFor(base({ config, existing: { guest: { cpus: 1 } } })).guest).toEqual({ cpu_kind: 'performance', cpus: 2, memory_mb: 8192 });
    expect(machineConfigFor(base({ config: appConfig({ vm: [{ memoryMb: 1024 }] }) })).guest).toEqual({ cpu_kind: 'shared', cpus: 1, memory_mb: 1024 });
    expect(machineConfigFor(base()).guest).toBeUndefined();
  });

  it('keeps a machine’s volume and moves only its mount path', () => {
    const config = appConfig({ mounts: [{ source: 'data', destination: '/var/data' }] });
    expect(machineConfigFor(base({ config, existing: { mounts: [{ volume: 'vol_123', path: '/data', name: 'data' }] } })).mounts).toEqual([
      { volume: 'vol_123', path: '/var/data', name: 'data' },
    ]);
    expect(machineConfigFor(base({ config })).mounts).toEqual([{ name: 'data', path: '/var/data' }]);
  });

  it('is deterministic', () => {
    const config = appConfig({ env: { B: '2', A: '1' }, checks: { b: { type: 'tcp', port: 1 }, a: { type: 'tcp', port: 2 } } });
    const one = machineConfigFor(base({ config }));
    const two = machineConfigFor(base({ config }));
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(Object.keys(one.checks ?? {})).toEqual(['a', 'b']);
  });
});

describe(pinnedImageRef.name, () => {
  it('pins the canonical ref by digest once', () => {
    expect(pinnedImageRef(IMAGE)).toBe(PINNED_IMAGE);
    expect(pinnedImageRef({ canonicalRef: PINNED_IMAGE, digest: IMAGE.digest })).toBe(PINNED_IMAGE);
  });
});

describe(goDuration.name, () => {
  it.each([
    [10_000, '10s'],
    [500, '500ms'],
    [1_500, '1500ms'],
    [300_000, '5m'],
    [90_000, '90s'],
    [7_200_000, '2h'],
    [0, '0s'],
  ])('%p ms → %p', (ms, expected) => {
    expect(goDuration(ms)).toBe(expected);
  });
});
