import { toJsonContract } from './app-config.helpers';
import { formatConfigIssue, parseAppConfig, toJsonErrors } from './parse-app-config';

/** What `hangar config validate --json` prints for a valid file (apps/cli config.command.ts). */
function validateJson(toml: string): unknown {
  const result = parseAppConfig(toml);
  if (!result.ok) throw new Error(result.errors.map((e) => formatConfigIssue('fly.toml', e)).join('\n'));
  return JSON.parse(JSON.stringify(toJsonContract(result.config)));
}

/** What it prints for an invalid one. */
function validateErrors(toml: string): unknown {
  const result = parseAppConfig(toml);
  if (result.ok) throw new Error('expected the config to be invalid');
  return toJsonErrors(result.errors);
}

const EMPTY = { env: {}, processes: { app: '' }, mounts: [], services: [], checks: {}, vm: [], warnings: [] };

/** flyctl's internal/appconfig/testdata/old-format.toml: every legacy shape its patches exist for. */
const OLD_FORMAT = `
app = "foo"

[env]
  # Mixed value types
  FOO = "STRING"
  BAR = 123

[build]
build_target = "thalayer"

[[services]]
  # Stringified internal port
  internal_port = "8080"

  # Old concurrency format
  concurrency = "12,23"

  # Autostop specified with a boolean
  auto_stop_machines = false

  [[services.ports]]
  # Stringified port
  port = "80"
  handlers = ["http"]

  [[services.tcp_checks]]
    # Parse as time.Duration in milliseconds
    interval = 10000
    timeout = 2000

  [[services.tcp_checks]]
    interval = "20s"
    timeout = "3s"

  [[services.http_checks]]
    # Parse as time.Duration in milliseconds
    interval = 30000
    timeout = 4000

    [[services.http_checks.headers]]
      name = "origin"
      value = "http://localhost:8000"

  [[services.http_checks]]
    # Additional check of same type to ensure it is not overriden
    interval = "20s"
    timeout = "3s"
    grace_period = "" # empty duration must be ignored

    [services.http_checks.headers]
      fly-healthcheck = 1
      metoo = true
      astring = "string"

[experimental]
  # GQL GetConfig always returns an experimental section even if empty

[[processes]]
  # The GQL GetConfig API returns an empty array when there are no processes

[mount]
  # singular mount
  source = "data"
  destination = "/data"

[metrics]
  # singular metrics
  port = 9999
  path = "/metrics"
`;

/** A `[[services]]` on 8080 followed by `lines`, for one check shape at a time. */
function service(lines: string[]): string {
  return ['[[services]]', 'internal_port = 8080', ...lines, ''].join('\n');
}

function checksOf(toml: string): unknown {
  return (validateJson(toml) as { services: { checks: unknown }[] }).services[0].checks;
}

describe('config validate --json: [[services]] and check shapes flyctl patches (internal/appconfig/patches.go)', () => {
  it('normalises flyctl\'s old-format.toml as flyctl does', () => {
    expect(validateJson(OLD_FORMAT)).toEqual({
      ...EMPTY,
      app: 'foo',
      env: { FOO: 'STRING', BAR: '123' },
      mounts: [{ source: 'data', destination: '/data' }],
      services: [
        {
          protocol: 'tcp',
          internalPort: 8080,
          ports: [{ port: 80, handlers: ['http'] }],
          autoStopMachines: 'off',
          concurrency: { type: 'requests', softLimit: 12, hardLimit: 23 },
          checks: [
            { type: 'tcp', port: 8080, intervalMs: 10_000, timeoutMs: 2_000 },
            { type: 'tcp', port: 8080, intervalMs: 20_000, timeoutMs: 3_000 },
            { type: 'http', port: 8080, intervalMs: 30_000, timeoutMs: 4_000, headers: { origin: 'http://localhost:8000' } },
            { type: 'http', port: 8080, intervalMs: 20_000, timeoutMs: 3_000, headers: { 'fly-healthcheck': '1', metoo: 'true', astring: 'string' } },
          ],
        },
      ],
      warnings: [
        { path: '[build].build_target', message: 'not used by hangar, ignored' },
        { path: '[metrics]', message: 'not used by hangar, ignored' },
      ],
    });
  });

  describe('check durations (_patchCheck)', () => {
    it('reads integer interval, timeout and grace_period as milliseconds and strings with Go syntax', () => {
      const toml = service([
        '[[services.tcp_checks]]', 'interval = 15000', 'timeout = 2500', 'grace_period = 5000',
        '[[services.http_checks]]', 'interval = "1m30s"', 'timeout = "2500ms"', 'grace_period = "1.5s"', 'path = "/up"',
      ]);
      expect(checksOf(toml)).toEqual([
        { type: 'tcp', port: 8080, intervalMs: 15_000, timeoutMs: 2_500, gracePeriodMs: 5_000 },
        { type: 'http', port: 8080, intervalMs: 90_000, timeoutMs: 2_500, gracePeriodMs: 1_500, path: '/up' },
      ]);
    });

    it('leaves durations given as "" unset, with no error and no warning', () => {
      const toml = service(['[[services.tcp_checks]]', 'interval = ""', 'timeout = ""', 'grace_period = ""']);
      expect(validateJson(toml)).toMatchObject({ services: [{ checks: [{ type: 'tcp', port: 8080 }] }], warnings: [] });
    });

    it('reads top-level and [http_service] checks the same way', () => {
      const toml = ['[http_service]', 'internal_port = 3000', '[[http_service.checks]]', 'interval = 10000', 'grace_period = ""', '[checks.alive]', 'type = "tcp"', 'interval = 15000', 'timeout = ""', ''].join('\n');
      const json = validateJson(toml) as { services: { checks: unknown }[]; checks: unknown };
      expect(json.services[0].checks).toEqual([{ type: 'http', port: 3000, intervalMs: 10_000 }]);
      expect(json.checks).toEqual({ alive: { type: 'tcp', port: 3000, intervalMs: 15_000 } });
    });

    it('warns where flyctl warns: a service check under 1 second or over 1 minute', () => {
      const toml = service([
        '[[services.tcp_checks]]', 'interval = 500', 'timeout = "2m"', 'grace_period = 0',
        '[[services.http_checks]]', 'interval = "5s"', 'grace_period = 250',
      ]);
      expect(validateJson(toml)).toMatchObject({
        services: [{ checks: [{ type: 'tcp', port: 8080, intervalMs: 500, timeoutMs: 120_000, gracePeriodMs: 0 }, { type: 'http', intervalMs: 5_000, gracePeriodMs: 250 }] }],
        warnings: [
          { path: 'services[0].tcp_checks[0].interval', message: 'is less than 1 second (500ms); Fly raises it to 1 second' },
          { path: 'services[0].tcp_checks[0].timeout', message: 'is greater than 1 minute (2m0s); Fly lowers it to 1 minute' },
          { path: 'services[0].http_checks[0].grace_period', message: 'is non-zero and less than 1 second (250ms); Fly raises it to 1 second' },
        ],
      });
    });

    it('warns about a top-level check interval under 2 seconds or timeout over 60, which flyctl refuses', () => {
      expect(validateJson('[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = 1000\ntimeout = "90s"\ngrace_period = 500\n')).toMatchObject({
        checks: { alive: { intervalMs: 1_000, timeoutMs: 90_000, gracePeriodMs: 500 } },
        warnings: [
          { path: '[checks].alive.interval', message: 'is less than 2 seconds (1s); flyctl refuses a top-level check interval under 2 seconds' },
          { path: '[checks].alive.timeout', message: 'is greater than 60 seconds (1m30s); flyctl refuses a top-level check timeout over 60 seconds' },
        ],
      });
    });

    it('still rejects a string Go cannot parse, at its line', () => {
      expect(validateErrors(service(['[[services.http_checks]]', 'interval = "10"']))).toEqual({
        errors: [{ path: 'services[0].http_checks[0].interval', line: 4, message: 'must be a duration like "5m" or "30s"; got "10"' }],
      });
    });
  });

  describe('check headers (_patchCheckHeaders)', () => {
    it('reads [[services.http_checks.headers]] { name, value } as a headers table, a missing value as ""', () => {
      const toml = service([
        '[[services.http_checks]]', 'path = "/up"',
        '[[services.http_checks.headers]]', 'name = "Host"', 'value = "example.com"',
        '[[services.http_checks.headers]]', 'name = "X-Count"', 'value = 3',
        '[[services.http_checks.headers]]', 'name = "X-Empty"',
      ]);
      expect(checksOf(toml)).toEqual([{ type: 'http', port: 8080, path: '/up', headers: { Host: 'example.com', 'X-Count': '3', 'X-Empty': '' } }]);
    });

    it('gives the same config as the table form', () => {
      const list = service(['[[services.http_checks]]', 'headers = [{ name = "Host", value = "example.com" }]']);
      const table = service(['[[services.http_checks]]', 'headers = { Host = "example.com" }']);
      expect(validateJson(list)).toEqual(validateJson(table));
    });

    it('reads the list form in top-level and [http_service] checks too', () => {
      const toml = [
        '[http_service]', 'internal_port = 3000',
        '[[http_service.checks]]', '[[http_service.checks.headers]]', 'name = "Host"', 'value = "a.example"',
        '[checks.db]', 'type = "http"', 'path = "/db"', '[[checks.db.headers]]', 'name = "Host"', 'value = "b.example"', '',
      ].join('\n');
      const json = validateJson(toml) as { services: { checks: unknown }[]; checks: unknown };
      expect(json.services[0].checks).toEqual([{ type: 'http', port: 3000, headers: { Host: 'a.example' } }]);
      expect(json.checks).toEqual({ db: { type: 'http', port: 3000, path: '/db', headers: { Host: 'b.example' } } });
    });

    it('drops an empty headers list (flyctl old-pg-checks.toml)', () => {
      const toml = 'app = "foo"\n\n[checks.pg]\n  type = "http"\n  port = 5500\n  path = "/flycheck/pg"\n  headers = []\n';
      expect(validateJson(toml)).toEqual({ ...EMPTY, app: 'foo', checks: { pg: { type: 'http', port: 5500, path: '/flycheck/pg' } } });
    });

    it('rejects an entry without a name, or not a table, as flyctl does, at its line', () => {
      const toml = service(['[[services.http_checks]]', 'path = "/up"', '[[services.http_checks.headers]]', 'value = "orphan"']);
      expect(validateErrors(toml)).toEqual({
        errors: [{ path: 'services[0].http_checks[0].headers[0].name', line: 5, message: 'is required in a headers list entry ({ name, value })' }],
      });
      expect(validateErrors(service(['[[services.http_checks]]', 'headers = ["Host: a"]']))).toEqual({
        errors: [{ path: 'services[0].http_checks[0].headers[0]', line: 4, message: 'must be a table; got "Host: a"' }],
      });
    });
  });

  describe('[[services]] (patchServices, _patchService)', () => {
    it('drops a [[services]] without keys (flyctl services-emptysection.toml), with a warning', () => {
      expect(validateJson('app = "foo"\n\n# A service without any key must be ignored\n[[services]]\n')).toEqual({
        ...EMPTY,
        app: 'foo',
        warnings: [{ path: 'services[0]', message: 'empty section, ignored' }],
      });
    });

    it('reads a single [services] table, a single [services.ports] table and a single check table', () => {
      const toml = '[services]\ninternal_port = 8080\n[services.ports]\nport = 443\nhandlers = ["tls", "http"]\n[services.tcp_checks]\ninterval = 10000\n';
      expect(validateJson(toml)).toMatchObject({
        services: [{ protocol: 'tcp', internalPort: 8080, ports: [{ port: 443, handlers: ['tls', 'http'] }], checks: [{ type: 'tcp', port: 8080, intervalMs: 10_000 }] }],
      });
    });

    it('drops the fraction of internal_port and ports.port as castToInt does, saying so', () => {
      expect(validateJson(service(['[[services.ports]]', 'port = 80.0']).replace('internal_port = 8080', 'internal_port = 8080.5'))).toMatchObject({
        services: [{ internalPort: 8080, ports: [{ port: 80 }] }],
        warnings: [{ path: 'services[0].internal_port', message: '8080.5 is read as 8080, as flyctl does' }],
      });
    });

    it('keeps accepting numeric strings where flyctl patches nothing ([http_service] internal_port and concurrency)', () => {
      const toml = '[http_service]\ninternal_port = "3000"\n[http_service.concurrency]\ntype = "requests"\nsoft_limit = "20"\nhard_limit = 25\n';
      expect(validateJson(toml)).toMatchObject({
        services: [{ internalPort: 3000, concurrency: { type: 'requests', softLimit: 20, hardLimit: 25 } }],
        warnings: [],
      });
    });

    it('rejects a bare number as concurrency, as flyctl does (flyctl always-invalid-v2.toml)', () => {
      const toml = '[[services]]\n  internal_port = "8080"\n  # Single numerical concurrency is not valid\n  concurrency = 20\n';
      expect(validateErrors(toml)).toEqual({
        errors: [{ path: 'services[0].concurrency', line: 4, message: 'must be a table; got 20' }],
      });
    });
  });
});
