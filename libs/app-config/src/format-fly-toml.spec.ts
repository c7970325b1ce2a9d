import type { AppConfig } from './app-config.types';
import { toJsonContract } from './app-config.helpers';
import { formatDurationMs, formatFlyToml } from './format-fly-toml';
import { formatConfigIssue, parseAppConfig } from './parse-app-config';

function parseOk(text: string): AppConfig {
  const result = parseAppConfig(text);
  if (!result.ok) throw new Error(`${result.errors.map((e) => formatConfigIssue('fly.toml', e)).join('\n')}\n--- in ---\n${text}`);
  return result.config;
}

/** The normalised config without its warnings: what must survive a save and a re-read. */
const contract = (config: AppConfig) => ({ ...toJsonContract(config), warnings: [] });

/** Each shape a saved config must keep: http_service with headers and checks, release command, vm. */
const WEB = `
app = 'shop-web'
primary_region = 'ams'
kill_signal = 'SIGINT'
kill_timeout = '30s'

[build]
  image = 'registry.example.com/shop:1.2'
  [build.args]
    RUBY_VERSION = '3.3'

[deploy]
  release_command = './bin/rails db:prepare'
  release_command_timeout = 'none'
  strategy = 'canary'
  max_unavailable = 0.5
  wait_timeout = '1m30s'
  auto_rollback = false

[env]
  PORT = 8080
  NAME = "it's \\"quoted\\""

[http_service]
  internal_port = 8080
  force_https = true
  auto_stop_machines = 'suspend'
  auto_start_machines = true
  min_machines_running = 1
  [http_service.concurrency]
    type = 'requests'
    soft_limit = 20
    hard_limit = 25
  [[http_service.checks]]
    interval = '10s'
    grace_period = '2500ms'
    method = 'GET'
    path = '/up'
    timeout = 2000
    [http_service.checks.headers]
      X-Forwarded-Proto = 'https'

[checks.status]
  port = 8080
  type = 'http'
  interval = '1m'
  timeout = '2s'
  path = '/status'

[[vm]]
  size = 'shared-cpu-2x'
  memory = '1gb'
`;

const WORKERS = `
app = "queue-jobs"
primary_region = "fra"

[processes]
  web = "node dist/main.js --port 3000"
  worker = "node dist/worker.js --concurrency '4 jobs'"

[[services]]
  protocol = "tcp"
  internal_port = 3000
  processes = ["web"]
  [[services.ports]]
    port = 80
    handlers = ["http"]
    force_https = true
  [[services.ports]]
    start_port = 10000
    end_port = 10010
  [[services.tcp_checks]]
    interval = "15s"
    timeout = "2s"

[[services]]
  protocol = "udp"
  internal_port = 5353
  processes = ["web"]
  [[services.ports]]
    port = 53

[mounts]
  source = "jobs_data"
  destination = "/data"
  processes = ["worker"]
  initial_size = "10gb"

[[vm]]
  cpus = 2
  cpu_kind = "performance"
  memory_mb = 4096
  processes = ["worker"]
`;

const MINIMAL = `app = "tiny"\n`;

describe(formatFlyToml.name, () => {
  it.each([
    ['an [http_service] web app with a release command, checks and a vm', WEB],
    ['process groups, services, a volume and a vm per group', WORKERS],
    ['an app with nothing but a name', MINIMAL],
  ])('writes %s so that reading it back gives the same normalised config', (_what, text) => {
    const config = parseOk(text);
    const saved = formatFlyToml(config);
    expect(contract(parseOk(saved))).toEqual(contract(config));
  });

  it('writes the fly.toml a user would: snake_case keys, readable durations, no empty sections, the header as comments', () => {
    const text = formatFlyToml(parseOk(`app = "demo"\nprimary_region = "local"\nkill_timeout = "90s"\n[build]\nimage = "nginx:1"\n[deploy]\nwait_timeout = 1500\n`), ['saved by a test']);
    expect(text).toBe(
      ['# saved by a test', '', 'app = "demo"', 'primary_region = "local"', 'kill_timeout = "1m30s"', '', '[build]', 'image = "nginx:1"', '', '[deploy]', 'wait_timeout = "1s500ms"', ''].join('\n'),
    );
  });

  it('formats milliseconds as Go durations', () => {
    expect([0, 1, 999, 1000, 60_000, 90_000, 3_600_000, 3_723_004].map(formatDurationMs)).toEqual(['0s', '1ms', '999ms', '1s', '1m', '1m30s', '1h', '1h2m3s4ms']);
  });
});
