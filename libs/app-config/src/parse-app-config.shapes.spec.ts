import type { AppConfig } from './app-config.types';
import { formatConfigIssue, parseAppConfig } from './parse-app-config';

function parseOk(lines: string[]): AppConfig {
  const result = parseAppConfig(lines.join('\n'));
  if (!result.ok) throw new Error(result.errors.map((e) => formatConfigIssue('fly.toml', e)).join('\n'));
  return result.config;
}

describe(`${parseAppConfig.name}: tolerated shapes`, () => {
  it('fills processes with { app: "" } and empty collections for an empty file', () => {
    expect(parseOk([])).toEqual({ env: {}, processes: { app: '' }, mounts: [], services: [], checks: {}, vm: [], warnings: [] });
  });

  it('reads [[mounts]], a single [mounts] table and the legacy [mount] alike', () => {
    const expected = [{ source: 'data', destination: '/data', initialSize: '10gb' }];
    expect(parseOk(['[[mounts]]', 'source = "data"', 'destination = "/data"', 'initial_size = "10gb"']).mounts).toEqual(expected);
    expect(parseOk(['[mounts]', 'source = "data"', 'destination = "/data"', 'initial_size = 10']).mounts).toEqual(expected);
    expect(parseOk(['[mount]', 'source = "data"', 'destination = "/data"', 'initial_size = "10gb"']).mounts).toEqual(expected);
  });

  it('reads a bare kill_timeout as seconds and [deploy] durations as strings or milliseconds, warning that flyctl reads those as nanoseconds', () => {
    const config = parseOk(['kill_timeout = 5', '[deploy]', 'wait_timeout = "1m30s"', 'release_command_timeout = 120000']);
    expect(config.killTimeoutMs).toBe(5_000);
    expect(config.deploy).toEqual({ waitTimeoutMs: 90_000, releaseCommandTimeoutMs: 120_000 });
    expect(config.warnings).toEqual([
      {
        path: '[deploy].release_command_timeout',
        message: 'a bare number is nanoseconds to flyctl and milliseconds to hangar (120000ms); write a duration like "120000ms" or "5m"',
      },
    ]);
  });

  it('reads release_command_timeout = "none" as null (no limit)', () => {
    expect(parseOk(['[deploy]', 'release_command_timeout = "none"']).deploy).toEqual({ releaseCommandTimeoutMs: null });
  });

  it('reads auto_stop_machines as a bool or a string', () => {
    const autoStop = (value: string) =>
      parseOk(['[http_service]', 'internal_port = 8080', `auto_stop_machines = ${value}`]).services[0].autoStopMachines;
    expect(autoStop('true')).toBe('stop');
    expect(autoStop('false')).toBe('off');
    expect(autoStop('"suspend"')).toBe('suspend');
  });

  it('reads ports written as strings', () => {
    const config = parseOk(['[[services]]', 'internal_port = "8080"', '[[services.ports]]', 'port = "443"', 'handlers = ["tls"]']);
    expect(config.services[0]).toMatchObject({ internalPort: 8080, ports: [{ port: 443, handlers: ['tls'] }] });
  });

  it('keeps [processes] commands as raw strings', () => {
    const config = parseOk(['[processes]', 'web = "bundle exec puma -C config/puma.rb"', 'worker = "bundle exec sidekiq -q \'a b\'"']);
    expect(config.processes).toEqual({ web: 'bundle exec puma -C config/puma.rb', worker: "bundle exec sidekiq -q 'a b'" });
  });

  it('reads [[services]] with ports, concurrency and tcp/http checks', () => {
    const config = parseOk([
      '[[services]]',
      'protocol = "tcp"',
      'internal_port = 8080',
      'auto_start_machines = true',
      'min_machines_running = 1',
      '[[services.ports]]',
      'port = 80',
      'handlers = ["http"]',
      'force_https = true',
      '[[services.ports]]',
      'start_port = 10000',
      'end_port = 10010',
      '[services.concurrency]',
      'type = "requests"',
      'soft_limit = 20',
      'hard_limit = 25',
      '[[services.tcp_checks]]',
      'interval = "15s"',
      'timeout = 2000',
      'grace_period = "1s"',
      '[[services.http_checks]]',
      'interval = 10000',
      'method = "get"',
      'path = "/health"',
      'protocol = "http"',
      'headers = { Host = "example.com" }',
    ]);
    expect(config.services).toEqual([
      {
        protocol: 'tcp',
        internalPort: 8080,
        ports: [{ port: 80, handlers: ['http'], forceHttps: true }, { startPort: 10000, endPort: 10010 }],
        autoStartMachines: true,
        minMachinesRunning: 1,
        concurrency: { type: 'requests', softLimit: 20, hardLimit: 25 },
        checks: [
          { type: 'tcp', port: 8080, intervalMs: 15_000, timeoutMs: 2_000, gracePeriodMs: 1_000 },
          { type: 'http', port: 8080, intervalMs: 10_000, method: 'get', path: '/health', protocol: 'http', headers: { Host: 'example.com' } },
        ],
      },
    ]);
  });

  it('reads the old "soft,hard" concurrency string as request limits', () => {
    const config = parseOk(['[[services]]', 'internal_port = 8080', 'concurrency = "20,25"']);
    expect(config.services[0].concurrency).toEqual({ type: 'requests', softLimit: 20, hardLimit: 25 });
  });

  it('expands [http_service] into one tcp service on 80 and 443 with its checks', () => {
    const config = parseOk([
      '[http_service]',
      'internal_port = 3000',
      'force_https = true',
      'auto_stop_machines = "stop"',
      'processes = ["app"]',
      '[[http_service.checks]]',
      'interval = "30s"',
      'path = "/up"',
    ]);
    expect(config.services).toEqual([
      {
        protocol: 'tcp',
        internalPort: 3000,
        ports: [{ port: 80, handlers: ['http'], forceHttps: true }, { port: 443, handlers: ['http', 'tls'] }],
        processes: ['app'],
        autoStopMachines: 'stop',
        checks: [{ type: 'http', port: 3000, intervalMs: 30_000, path: '/up' }],
      },
    ]);
  });

  it('reads named top-level [checks], taking the port from [http_service] when absent', () => {
    const config = parseOk([
      '[http_service]',
      'internal_port = 8080',
      '[checks.alive]',
      'type = "tcp"',
      'interval = "15s"',
      '[checks.db]',
      'type = "http"',
      'port = 9090',
      'path = "/db"',
      'processes = ["app"]',
    ]);
    expect(config.checks).toEqual({
      alive: { type: 'tcp', port: 8080, intervalMs: 15_000 },
      db: { type: 'http', port: 9090, path: '/db', processes: ['app'] },
    });
  });

  it('reads the older [[checks]] list keyed by each entry\'s name', () => {
    const config = parseOk(['[[checks]]', 'name = "alive"', 'type = "tcp"', 'port = 8080']);
    expect(config.checks).toEqual({ alive: { type: 'tcp', port: 8080 } });
  });

  it('reads [[vm]] lists and a single [vm] table, memory in MiB', () => {
    expect(parseOk(['[[vm]]', 'size = "shared-cpu-1x"', 'memory = "1gb"', 'cpus = 2', 'cpu_kind = "shared"', '[[vm]]', 'memory = 512', 'processes = ["app"]']).vm).toEqual([
      { size: 'shared-cpu-1x', memoryMb: 1024, cpus: 2, cpuKind: 'shared' },
      { memoryMb: 512, processes: ['app'] },
    ]);
    expect(parseOk(['[vm]', 'memory_mb = 2048']).vm).toEqual([{ memoryMb: 2048 }]);
  });

  it('stringifies [env] values', () => {
    expect(parseOk(['[env]', 'PORT = 8080', 'DEBUG = false', 'RATIO = 0.5', 'NAME = "x"']).env).toEqual({
      PORT: '8080',
      DEBUG: 'false',
      RATIO: '0.5',
      NAME: 'x',
    });
  });

  it('reads [build] and [deploy]', () => {
    const config = parseOk([
      '[build]',
      'image = "registry.example.com/app:1"',
      'dockerfile = "Dockerfile.prod"',
      'builder = "heroku/builder:22"',
      '[build.args]',
      'NODE_VERSION = 20',
      '[deploy]',
      'strategy = "canary"',
      'max_unavailable = 0.5',
      'wait_timeout = "10m"',
      'release_command = "bin/rails db:prepare"',
      'release_command_timeout = "15m"',
      'auto_rollback = false',
    ]);
    expect(config.build).toEqual({
      image: 'registry.example.com/app:1',
      dockerfile: 'Dockerfile.prod',
      builder: 'heroku/builder:22',
      args: { NODE_VERSION: '20' },
    });
    expect(config.deploy).toEqual({
      strategy: 'canary',
      maxUnavailable: 0.5,
      waitTimeoutMs: 600_000,
      releaseCommand: 'bin/rails db:prepare',
      releaseCommandTimeoutMs: 900_000,
      autoRollback: false,
    });
  });

  it('omits [deploy].autoRollback when the file does not set it', () => {
    expect(parseOk(['[deploy]', 'strategy = "rolling"']).deploy).toEqual({ strategy: 'rolling' });
  });

  it('maps legacy [experimental] cmd and auto_rollback, with a warning', () => {
    const config = parseOk(['[experimental]', 'cmd = ["./server", "--port", "8080"]', 'auto_rollback = true', 'private_network = true']);
    expect(config.processes).toEqual({ app: './server --port 8080' });
    expect(config.deploy).toEqual({ autoRollback: true });
    expect(config.warnings).toEqual([
      { path: '[experimental].private_network', message: 'not used by hangar, ignored' },
      { path: '[experimental]', message: 'legacy section: put cmd in [processes], kill_timeout at the top level and auto_rollback in [deploy]' },
    ]);
  });

  it('ignores [experimental].cmd with a warning when [processes] is defined, as flyctl does', () => {
  const config = parseOk(['[processes]', 'web = "serve"', '[experimental]', 'cmd = "old"']);
  expect(config.processes).toEqual({ web: 'serve' });
  expect(config.warnings).toContainEqual({ path: '[experimental].cmd', message: 'ignored because [processes] is defined' });
});

it('reads processes = [] (how old API exports spell "none") as no [processes]', () => {
  expect(parseOk(['processes = []']).processes).toEqual({ app: '' });
});

it('lets [deploy].auto_rollback win over [experimental]', () => {
    expect(parseOk(['[experimental]', 'auto_rollback = true', '[deploy]', 'auto_rollback = false']).deploy).toEqual({ autoRollback: false });
  });

  it('warns about unknown keys at every level and leaves them out of the config', () => {
    const config = parseOk(['colour = "blue"', 'swap_size_mb = 512', '[deploy]', 'stratgey = "rolling"', '[[services]]', 'internal_port = 80', 'bogus = 1']);
    expect(config.warnings).toEqual([
      { path: '[deploy].stratgey', message: 'unknown key, ignored' },
      { path: 'services[0].bogus', message: 'unknown key, ignored' },
      { path: 'swap_size_mb', message: 'not used by hangar, ignored' },
      { path: 'colour', message: 'unknown key, ignored' },
    ]);
    expect(config.deploy).toBeUndefined();
    expect(Object.keys(config.services[0])).not.toContain('bogus');
  });
});
