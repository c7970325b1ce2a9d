import type { AppConfig } from './app-config.types';
import { checksFor, hasServices, mountsFor, processGroupsOf, servicesFor } from './app-config.helpers';
import { formatConfigIssue, parseAppConfig } from './parse-app-config';
import { splitCommand } from './split-command';

function parseOk(text: string): AppConfig {
  const result = parseAppConfig(text);
  if (!result.ok) throw new Error(result.errors.map((e) => formatConfigIssue('fly.toml', e)).join('\n'));
  return result.config;
}

/** What `fly launch` writes for a Rails app today, plus a release command and top-level checks. */
const RAILS = `
# fly.toml app configuration file generated for shop-web on 2024-03-01T10:00:00Z
#
# See https://fly.io/docs/reference/configuration/ for information about how to use this file.

app = 'shop-web'
primary_region = 'ams'
console_command = '/rails/bin/rails console'

[build]

[deploy]
  release_command = './bin/rails db:prepare'
  strategy = 'rolling'
  max_unavailable = 2
  wait_timeout = '10m'

[env]
  PORT = '8080'
  RAILS_LOG_TO_STDOUT = 'enabled'
  WEB_CONCURRENCY = 2

[http_service]
  internal_port = 8080
  force_https = true
  auto_stop_machines = 'stop'
  auto_start_machines = true
  min_machines_running = 0
  processes = ['app']

  [[http_service.checks]]
    interval = '10s'
    grace_period = '5s'
    method = 'GET'
    path = '/up'
    protocol = 'http'
    timeout = '2s'
    tls_skip_verify = false

    [http_service.checks.headers]
      X-Forwarded-Proto = 'https'

[checks]
  [checks.status]
    port = 8080
    type = 'http'
    interval = '10s'
    timeout = '2s'
    grace_period = '5s'
    method = 'GET'
    path = '/up'

[[vm]]
  memory = '1gb'
  cpu_kind = 'shared'
  cpus = 1

[[statics]]
  guest_path = '/rails/public'
  url_prefix = '/'
`;

/** Two process groups: web behind [[services]], a worker with a volume. */
const MULTI_PROCESS = `
app = "queue-jobs"
primary_region = "fra"
kill_signal = "SIGTERM"
kill_timeout = "30s"

[build]
  image = "registry.example.com/queue-jobs:2024.3"

[processes]
  web = "node dist/main.js --port 3000"
  worker = "node dist/worker.js --concurrency 4"

[deploy]
  strategy = "immediate"

[[services]]
  protocol = "tcp"
  internal_port = 3000
  processes = ["web"]

  [[services.ports]]
    port = 80
    handlers = ["http"]
    force_https = true

  [[services.ports]]
    port = 443
    handlers = ["tls", "http"]

  [services.concurrency]
    type = "connections"
    hard_limit = 25
    soft_limit = 20

  [[services.tcp_checks]]
    interval = "15s"
    timeout = "2s"
    grace_period = "1s"

[mounts]
  source = "jobs_data"
  destination = "/data"
  processes = ["worker"]

[[vm]]
  size = "shared-cpu-2x"
  processes = ["worker"]
`;

/** A Nomad-era file: [experimental], integer check intervals, legacy service keys. */
const LEGACY = `
app = "old-api"
kill_signal = "SIGINT"
kill_timeout = "5s"
processes = []

[experimental]
  allowed_public_ports = []
  auto_rollback = true
  cmd = ["./api", "serve"]

[env]
  PORT = "8080"

[[services]]
  http_checks = []
  internal_port = "8080"
  protocol = "tcp"
  script_checks = []

  [services.concurrency]
    hard_limit = 25
    soft_limit = 20
    type = "connections"

  [[services.ports]]
    force_https = true
    handlers = ["http"]
    port = 80

  [[services.ports]]
    handlers = ["tls", "http"]
    port = "443"

  [[services.tcp_checks]]
    grace_period = "1s"
    interval = 15000
    restart_limit = 0
    timeout = 2000
`;

describe('realistic fly.toml files', () => {
  it('reads a Rails app with a release command, [http_service] and checks', () => {
    const config = parseOk(RAILS);
    expect(config).toMatchObject({
      app: 'shop-web',
      primaryRegion: 'ams',
      deploy: { releaseCommand: './bin/rails db:prepare', strategy: 'rolling', maxUnavailable: 2, waitTimeoutMs: 600_000 },
      env: { PORT: '8080', RAILS_LOG_TO_STDOUT: 'enabled', WEB_CONCURRENCY: '2' },
      processes: { app: '' },
      vm: [{ memoryMb: 1024, cpuKind: 'shared', cpus: 1 }],
    });
    expect(config.build).toBeUndefined();
    expect(splitCommand(config.deploy?.releaseCommand ?? '')).toEqual(['./bin/rails', 'db:prepare']);
    expect(config.services).toEqual([
      {
        protocol: 'tcp',
        internalPort: 8080,
        ports: [{ port: 80, handlers: ['http'], forceHttps: true }, { port: 443, handlers: ['http', 'tls'] }],
        processes: ['app'],
        autoStopMachines: 'stop',
        autoStartMachines: true,
        minMachinesRunning: 0,
        checks: [
          {
            type: 'http',
            port: 8080,
            intervalMs: 10_000,
            gracePeriodMs: 5_000,
            method: 'GET',
            path: '/up',
            protocol: 'http',
            timeoutMs: 2_000,
            tlsSkipVerify: false,
            headers: { 'X-Forwarded-Proto': 'https' },
          },
        ],
      },
    ]);
    expect(config.checks).toEqual({
      status: { port: 8080, type: 'http', intervalMs: 10_000, timeoutMs: 2_000, gracePeriodMs: 5_000, method: 'GET', path: '/up' },
    });
    expect(checksFor(config, 'app').map((c) => c.name ?? 'service')).toEqual(['status', 'service']);
    expect(config.warnings).toEqual([
      { path: 'console_command', message: 'not used by hangar, ignored' },
      { path: 'statics', message: 'not used by hangar, ignored' },
    ]);
  });

  it('reads a multi-process app with services scoped to web and a volume for the worker', () => {
    const config = parseOk(MULTI_PROCESS);
    expect(config).toMatchObject({
      killSignal: 'SIGTERM',
      killTimeoutMs: 30_000,
      build: { image: 'registry.example.com/queue-jobs:2024.3' },
      deploy: { strategy: 'immediate' },
      processes: { web: 'node dist/main.js --port 3000', worker: 'node dist/worker.js --concurrency 4' },
      mounts: [{ source: 'jobs_data', destination: '/data', processes: ['worker'] }],
      vm: [{ size: 'shared-cpu-2x', processes: ['worker'] }],
      warnings: [],
    });
    expect(processGroupsOf(config)).toEqual(['web', 'worker']);
    expect(hasServices(config, 'web')).toBe(true);
    expect(hasServices(config, 'worker')).toBe(false);
    expect(servicesFor(config, 'web')[0]).toMatchObject({
      internalPort: 3000,
      ports: [{ port: 80, handlers: ['http'], forceHttps: true }, { port: 443, handlers: ['tls', 'http'] }],
      concurrency: { type: 'connections', hardLimit: 25, softLimit: 20 },
    });
    expect(mountsFor(config, 'worker')).toHaveLength(1);
    expect(mountsFor(config, 'web')).toEqual([]);
    expect(checksFor(config, 'web')).toEqual([{ type: 'tcp', port: 3000, intervalMs: 15_000, timeoutMs: 2_000, gracePeriodMs: 1_000 }]);
    expect(checksFor(config, 'worker')).toEqual([]);
  });

  it('reads a legacy file with [experimental], keeping cmd and auto_rollback', () => {
    const config = parseOk(LEGACY);
    expect(config.processes).toEqual({ app: './api serve' });
    expect(splitCommand(config.processes.app)).toEqual(['./api', 'serve']);
    expect(config.deploy).toEqual({ autoRollback: true });
    expect(config.services[0]).toMatchObject({
      internalPort: 8080,
      ports: [{ port: 80, forceHttps: true, handlers: ['http'] }, { port: 443, handlers: ['tls', 'http'] }],
      checks: [{ type: 'tcp', port: 8080, gracePeriodMs: 1_000, intervalMs: 15_000, timeoutMs: 2_000 }],
    });
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        { path: '[experimental].allowed_public_ports', message: 'not used by hangar, ignored' },
        { path: '[experimental]', message: 'legacy section: put cmd in [processes], kill_timeout at the top level and auto_rollback in [deploy]' },
        { path: 'services[0].tcp_checks[0].restart_limit', message: 'not used by hangar, ignored' },
      ]),
    );
  });
});
