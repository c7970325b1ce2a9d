import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '@hangar/testing';

/** A fly.toml in the shapes flyctl's patches normalise (issue 15): no server is needed to validate it. */
const LEGACY = `
app = "legacy-shapes"
kill_timeout = 10

[[env]]
  PORT = 8080
[[env]]
  PORT = "9090"
  DEBUG = true

[[processes]]
  name = "web"
  command = "./web --port 9090"

[[services]]
  internal_port = "9090"
  processes = ["web"]
  [[services.ports]]
    port = "80"
    handlers = ["http"]
  [[services.http_checks]]
    interval = 15000
    timeout = "2500ms"
    grace_period = ""
    path = "/up"
    [[services.http_checks.headers]]
      name = "Host"
      value = "example.com"
`;

describe('hangar config validate on fly.toml shapes flyctl accepts (e2e, built CLI)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hangar-config-validate-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function validate(toml: string, ...flags: string[]): Promise<CliResult> {
    writeFileSync(join(dir, 'fly.toml'), toml);
    return runCli(['config', 'validate', ...flags], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, timeoutMs: 30_000 });
  }

  it('--json prints the normalised config and exits 0', async () => {
    const result = await validate(LEGACY, '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      app: 'legacy-shapes',
      killTimeoutMs: 10_000,
      env: { PORT: '9090', DEBUG: 'true' },
      processes: { web: './web --port 9090' },
      mounts: [],
      services: [
        {
          protocol: 'tcp',
          internalPort: 9090,
          ports: [{ port: 80, handlers: ['http'] }],
          processes: ['web'],
          checks: [{ type: 'http', port: 9090, intervalMs: 15_000, timeoutMs: 2_500, path: '/up', headers: { Host: 'example.com' } }],
        },
      ],
      checks: {},
      vm: [],
      warnings: [],
    });
  });

  it('prints warnings and exits 0 without --json', async () => {
    const result = await validate('kill_timeout = 2.5\n');
    expect(result).toMatchObject({ code: 0, stdout: '✓ Configuration is valid (fly.toml)\n' });
    expect(result.stderr).toBe('warning: fly.toml: kill_timeout 2.5 is read as 2s: flyctl keeps whole seconds only\n');
  });

  it('still refuses what flyctl refuses, with file:line and key path, exit 2', async () => {
    const toml = '[[services]]\ninternal_port = 8080\n[[services.http_checks]]\n[[services.http_checks.headers]]\nvalue = "orphan"\n';
    const json = await validate(toml, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      errors: [{ path: 'services[0].http_checks[0].headers[0].name', line: 4, message: 'is required in a headers list entry ({ name, value })' }],
    });
    const text = await validate(toml);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('fly.toml:4: services[0].http_checks[0].headers[0].name is required in a headers list entry ({ name, value })');
  });
});
