import type { AppConfig } from './app-config.types';
import { parseNormalizedAppConfig } from './normalized-app-config';
import { parseAppConfig } from './parse-app-config';

/** What `hangar config validate --json` prints for a file (warnings included), as a deploy would send it. */
function printed(toml: string): Record<string, unknown> {
  const result = parseAppConfig(toml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return JSON.parse(JSON.stringify(result.config)) as Record<string, unknown>;
}

const HTTP_SERVICE = `
app = 'shop-web'
primary_region = 'ams'
[deploy]
  release_command = './bin/rails db:prepare'
  strategy = 'rolling'
  max_unavailable = 2
  wait_timeout = '10m'
  release_command_timeout = 'none'
[env]
  PORT = '8080'
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
    timeout = '2s'
    [http_service.checks.headers]
      X-Forwarded-Proto = 'https'
[checks.status]
  port = 8080
  type = 'http'
  interval = '10s'
  path = '/up'
[[vm]]
  memory = '1gb'
  cpu_kind = 'shared'
  cpus = 1
`;

const MULTI_PROCESS = `
app = "queue-jobs"
kill_signal = "SIGTERM"
kill_timeout = "30s"
[build]
  image = "registry.example.com/queue-jobs:2024.3"
[processes]
  web = "node dist/main.js --port 3000"
  worker = "node dist/worker.js --concurrency 4"
[[services]]
  protocol = "tcp"
  internal_port = 3000
  processes = ["web"]
  [[services.ports]]
    port = 80
    handlers = ["http"]
    force_https = true
  [[services.ports]]
    start_port = 8000
    end_port = 8010
  [services.concurrency]
    type = "connections"
    hard_limit = 25
    soft_limit = 20
  [[services.tcp_checks]]
    interval = "15s"
    grace_period = "1s"
  [[services.http_checks]]
    path = "/health"
[mounts]
  source = "jobs_data"
  destination = "/data"
  processes = ["worker"]
  initial_size = "10gb"
[[vm]]
  size = "shared-cpu-2x"
  processes = ["worker"]
`;

/** Shapes flyctl's patches normalise: bare kill_timeout, [[env]], [[processes]], header lists, "" durations. */
const LEGACY_SHAPES = `
kill_timeout = 10
[[env]]
  PORT = 8080
[[env]]
  RATIO = 0.5
[[processes]]
  name = "web"
  command = "./web --port 8080"
[[services]]
  internal_port = "8080"
  processes = ["web"]
  concurrency = "12,23"
  [[services.http_checks]]
    interval = 15000
    grace_period = ""
    [[services.http_checks.headers]]
      name = "Host"
      value = "example.com"
`;

describe(parseNormalizedAppConfig.name, () => {
  it.each([
    ['flyctl legacy shapes: bare kill_timeout, [[env]], [[processes]], header lists, "" durations', LEGACY_SHAPES],
    ['an [http_service] app with checks, vm and release command', HTTP_SERVICE],
    ['two process groups, [[services]] with ports, concurrency and checks, a mount', MULTI_PROCESS],
    ['a minimal file', 'app = "tiny"\n'],
  ])('accepts what config validate --json prints, unchanged: %s', (_name, toml) => {
    const json = printed(toml);
    const result = parseNormalizedAppConfig(json);
    expect(result).toMatchObject({ ok: true });
    const { warnings: _a, ...config } = (result as { config: AppConfig }).config;
    const { warnings: _b, ...given } = json;
    expect(config).toEqual(given);
  });

  it('refuses junk the way fly.toml is refused (review M4: nothing wedges a release)', () => {
    const result = parseNormalizedAppConfig({ processes: { app: '' }, env: { X: { nested: 1 }, Y: 5 }, checks: 'nope', vm: 'big', mounts: 'none', services: [{ bogus: true }] });
    expect(result.ok).toBe(false);
    const paths = (result as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(['[env].X', 'mounts', 'services[0].internal_port', 'checks', 'vm']);
  });

  it('refuses keys that are not in the normalised config, and values the normaliser would not print', () => {
    expect(parseNormalizedAppConfig({ env: {}, processes: { app: '' }, evil: 1 })).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'config.evil' })] });
    const converted = parseNormalizedAppConfig({ env: { Y: 5 }, processes: { app: '' } });
    expect(converted).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'config.env' })] });
    expect(parseNormalizedAppConfig('nope')).toMatchObject({ ok: false, errors: [{ path: 'config' }] });
    expect(parseNormalizedAppConfig({ deploy: { strategy: 'blue-green' }, env: {}, processes: { app: '' } })).toMatchObject({
      ok: false,
      errors: [{ path: '[deploy].strategy', message: expect.stringContaining('must be one of rolling, immediate, canary, bluegreen') }],
    });
  });

  it('bounds process groups, in JSON as in fly.toml: names like scale takes them, at most 100', () => {
    const names = parseNormalizedAppConfig({ env: {}, processes: { 'a.b>*': 'run', '../x': 'run', web: 'run' } });
    expect((names as { errors: { path: string; message: string }[] }).errors.map((e) => [e.path, e.message])).toEqual([
      ['[processes]."a.b>*"', 'is not a process group name: use 1 to 63 lower-case letters, digits, _ and -'],
      ['[processes]."../x"', 'is not a process group name: use 1 to 63 lower-case letters, digits, _ and -'],
    ]);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`g${i}`, 'run']));
    expect(parseNormalizedAppConfig({ env: {}, processes: many })).toMatchObject({ ok: false, errors: [{ path: '[processes]', message: 'defines 101 process groups; at most 100 are allowed' }] });
    const toml = `[processes]\n${Object.keys(many).map((g) => `${g} = "run"`).join('\n')}\n`;
    expect(parseAppConfig(toml)).toMatchObject({ ok: false, errors: [{ path: '[processes]', line: 1, message: 'defines 101 process groups; at most 100 are allowed' }] });
  });
});
