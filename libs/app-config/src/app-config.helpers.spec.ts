import type { AppConfig } from './app-config.types';
import {
  checksFor,
  defaultProcessGroup,
  hasServices,
  mountsFor,
  processGroupsOf,
  servicesFor,
  toJsonContract,
  vmFor,
} from './app-config.helpers';
import { parseAppConfig } from './parse-app-config';

function parseOk(lines: string[]): AppConfig {
  const result = parseAppConfig(lines.join('\n'));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const scoped = parseOk([
  '[processes]',
  'worker = "w"',
  'web = "s"',
  'app = "a"',
  '[[services]]',
  'internal_port = 80',
  'processes = ["web", "app"]',
  '[[services.tcp_checks]]',
  'interval = "5s"',
  '[mounts]',
  'source = "data"',
  'destination = "/data"',
  'processes = ["worker"]',
  '[checks.everywhere]',
  'type = "tcp"',
  'port = 9000',
  '[checks.worker_only]',
  'type = "http"',
  'port = 9001',
  'processes = ["worker"]',
  '[[vm]]',
  'size = "shared-cpu-1x"',
  '[[vm]]',
  'size = "performance-2x"',
  'processes = ["worker"]',
]);

describe('process group helpers', () => {
  it('lists groups sorted, and app alone when the file has no [processes]', () => {
    expect(processGroupsOf(scoped)).toEqual(['app', 'web', 'worker']);
    expect(processGroupsOf(parseOk([]))).toEqual(['app']);
  });

  it('picks app as the default group when present, else the first by name', () => {
    expect(defaultProcessGroup(scoped)).toBe('app');
    expect(defaultProcessGroup(parseOk(['[processes]', 'worker = "w"', 'api = "a"']))).toBe('api');
  });

  it('scopes services, mounts, checks and vm by processes', () => {
    expect(servicesFor(scoped, 'web')).toHaveLength(1);
    expect(servicesFor(scoped, 'worker')).toEqual([]);
    expect(hasServices(scoped, 'app')).toBe(true);
    expect(hasServices(scoped, 'worker')).toBe(false);
    expect(mountsFor(scoped, 'worker')).toEqual([{ source: 'data', destination: '/data', processes: ['worker'] }]);
    expect(mountsFor(scoped, 'web')).toEqual([]);
    expect(checksFor(scoped, 'web')).toEqual([
      { name: 'everywhere', type: 'tcp', port: 9000 },
      { type: 'tcp', port: 80, intervalMs: 5_000 },
    ]);
    expect(checksFor(scoped, 'worker').map((c) => c.name)).toEqual(['everywhere', 'worker_only']);
    expect(vmFor(scoped, 'worker')?.size).toBe('performance-2x');
    expect(vmFor(scoped, 'web')?.size).toBe('shared-cpu-1x');
    expect(vmFor(parseOk([]), 'app')).toBeUndefined();
  });

  it('applies unscoped sections to the implicit app group', () => {
    const config = parseOk(['[http_service]', 'internal_port = 8080', '[mounts]', 'source = "d"', 'destination = "/d"']);
    expect(hasServices(config, 'app')).toBe(true);
    expect(mountsFor(config, 'app')).toHaveLength(1);
  });
});

describe(toJsonContract.name, () => {
  it('prints the contract keys in order', () => {
    const config = parseOk([
      'kill_timeout = "5s"',
      'kill_signal = "SIGTERM"',
      'primary_region = "ams"',
      'app = "dry-pond-1475"',
      '[[vm]]',
      'memory = 256',
      '[deploy]',
      'strategy = "rolling"',
      '[build]',
      'image = "nginx"',
    ]);
    expect(Object.keys(toJsonContract(config))).toEqual([
      'app', 'primaryRegion', 'killSignal', 'killTimeoutMs', 'build', 'deploy', 'env',
      'processes', 'mounts', 'services', 'checks', 'vm', 'warnings',
    ]);
  });

  it('omits absent optional values at every level, keeping the required collections', () => {
    const json = toJsonContract(parseOk(['[http_service]', 'internal_port = 8080']));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(Object.keys(json)).toEqual(['env', 'processes', 'mounts', 'services', 'checks', 'vm', 'warnings']);
    expect(json.processes).toEqual({ app: '' });
    expect(Object.keys(json.services[0])).toEqual(['protocol', 'internalPort', 'ports', 'checks']);
    expect(json.services[0].ports).toEqual([{ port: 80, handlers: ['http'] }, { port: 443, handlers: ['http', 'tls'] }]);
  });

  it('drops undefined values a caller left in a hand-built config', () => {
    const config: AppConfig = {
      app: undefined,
      deploy: { strategy: 'immediate', maxUnavailable: undefined, releaseCommandTimeoutMs: null },
      env: {},
      processes: { app: '' },
      mounts: [],
      services: [],
      checks: { up: { type: 'tcp', port: 80, path: undefined } },
      vm: [],
      warnings: [],
    };
    const json = toJsonContract(config);
    expect('app' in json).toBe(false);
    expect(json.deploy).toStrictEqual({ strategy: 'immediate', releaseCommandTimeoutMs: null });
    expect(json.checks).toStrictEqual({ up: { type: 'tcp', port: 80 } });
  });
});
