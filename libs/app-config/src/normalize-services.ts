import type { CheckConfig, ServiceConfig, ServicePortConfig } from './app-config.types';
import { compact, describeValue, oneOf, type Section } from './config-reader';
import type { KeySegment } from './toml-locator';

/** A section that may name process groups, recorded even when it is invalid so its references are still checked. */
export interface ScopedSection {
  kind: 'service' | 'mount' | 'check' | 'vm';
  path: readonly KeySegment[];
  processes?: string[];
}

/** Where things came from, so cross-section validation can point at their lines. */
export interface Provenance {
  /** Normalised object → the key path it was read from. */
  origins: WeakMap<object, readonly KeySegment[]>;
  scoped: ScopedSection[];
}

type AutoStop = NonNullable<ServiceConfig['autoStopMachines']>;
type Concurrency = NonNullable<ServiceConfig['concurrency']>;

const PORT_IGNORED = ['tls_options', 'http_options', 'proxy_proto_options'];

function readAutoStop(section: Section): AutoStop | undefined {
  const value = section.value('auto_stop_machines');
  if (value === undefined) return undefined;
  if (value === true) return 'stop';
  if (value === false) return 'off';
  if (value === 'off' || value === 'stop' || value === 'suspend') return value;
  section.error('auto_stop_machines', `must be one of off, stop, suspend, true, false; got ${describeValue(value)}`);
  return undefined;
}

function readConcurrency(section: Section): Concurrency | undefined {
  const value = section.value('concurrency');
  if (typeof value === 'string') {
    // Old files wrote "soft,hard"; flyctl reads that as request limits.
    const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
    if (match) return { type: 'requests', softLimit: Number(match[1]), hardLimit: Number(match[2]) };
    section.error('concurrency', `must be a table or "soft,hard"; got ${describeValue(value)}`);
    return undefined;
  }
  const table = section.table('concurrency');
  if (!table) return undefined;
  const concurrency = compact({
    type: oneOf(table, 'type', ['connections', 'requests'] as const),
    softLimit: table.integer('soft_limit'),
    hardLimit: table.integer('hard_limit'),
  });
  table.finish();
  return concurrency;
}

/** The keys every check shares; `type`, `port` and `processes` are read by the caller when they apply. */
function readCheckBody(section: Section): Omit<CheckConfig, 'type'> {
  const body = compact({
    name: section.string('name'),
    intervalMs: section.duration('interval'),
    timeoutMs: section.duration('timeout'),
    gracePeriodMs: section.duration('grace_period'),
    method: section.string('method'),
    path: section.string('path'),
    protocol: section.string('protocol'),
    headers: section.stringMap('headers'),
    tlsSkipVerify: section.boolean('tls_skip_verify'),
    tlsServerName: section.string('tls_server_name'),
  });
  section.ignore('restart_limit', 'kind');
  return body;
}

function readServiceCheck(section: Section, type: CheckConfig['type'], internalPort: number | undefined, prov: Provenance): CheckConfig {
  const body = readCheckBody(section);
  // A service check probes the service's internal port unless it names another one.
  const check: CheckConfig = compact({ ...body, type, port: section.port('port') ?? internalPort });
  section.finish();
  prov.origins.set(check, section.path);
  return check;
}

function readPort(section: Section): ServicePortConfig | undefined {
  const port = compact({
    port: section.port('port'),
    startPort: section.port('start_port'),
    endPort: section.port('end_port'),
    handlers: section.stringList('handlers'),
    forceHttps: section.boolean('force_https'),
  });
  section.ignore(...PORT_IGNORED);
  section.finish();
  if (!section.has('port') && !(section.has('start_port') && section.has('end_port'))) {
    section.error('port', 'is required (or start_port and end_port)');
    return undefined;
  }
  return port;
}

/** The keys `[[services]]` and `[http_service]` share. */
function readServiceCommon(section: Section) {
  return {
    processes: section.stringList('processes'),
    autoStopMachines: readAutoStop(section),
    autoStartMachines: section.boolean('auto_start_machines'),
    minMachinesRunning: section.integer('min_machines_running'),
    concurrency: readConcurrency(section),
  };
}

function requiredInternalPort(section: Section): number | undefined {
  if (!section.has('internal_port')) {
    section.value('internal_port');
    section.error('internal_port', 'is required');
    return undefined;
  }
  return section.port('internal_port');
}

function readService(section: Section, prov: Provenance): ServiceConfig | undefined {
  const protocol = section.has('protocol') ? oneOf(section, 'protocol', ['tcp', 'udp'] as const) : 'tcp';
  const internalPort = requiredInternalPort(section);
  const common = readServiceCommon(section);
  prov.scoped.push({ kind: 'service', path: section.path, processes: common.processes });
  const ports = section.tables('ports').map(readPort);
  const checks = [
    ...section.tables('tcp_checks').map((c) => readServiceCheck(c, 'tcp', internalPort, prov)),
    ...section.tables('http_checks').map((c) => readServiceCheck(c, 'http', internalPort, prov)),
  ];
  section.ignore('machine_checks', 'script_checks');
  section.finish();
  if (internalPort === undefined || protocol === undefined) return undefined;
  const service: ServiceConfig = compact({
    protocol,
    internalPort,
    ports: ports.filter((p): p is ServicePortConfig => p !== undefined),
    ...common,
    checks,
  });
  prov.origins.set(service, section.path);
  return service;
}

/** `[http_service]` is shorthand for a tcp service on 80 (`http`, carrying `force_https`) and 443 (`http, tls`). */
function readHttpService(section: Section, prov: Provenance): ServiceConfig | undefined {
  const internalPort = requiredInternalPort(section);
  const forceHttps = section.boolean('force_https');
  const common = readServiceCommon(section);
  prov.scoped.push({ kind: 'service', path: section.path, processes: common.processes });
  const checks = [
    ...section.tables('checks').map((c) => readServiceCheck(c, 'http', internalPort, prov)),
    ...section.tables('http_checks').map((c) => readServiceCheck(c, 'http', internalPort, prov)),
    ...section.tables('tcp_checks').map((c) => readServiceCheck(c, 'tcp', internalPort, prov)),
  ];
  section.ignore('tls_options', 'http_options', 'machine_checks');
  section.finish();
  if (internalPort === undefined) return undefined;
  const service: ServiceConfig = compact({
    protocol: 'tcp' as const,
    internalPort,
    ports: [compact({ port: 80, handlers: ['http'], forceHttps }), { port: 443, handlers: ['http', 'tls'] }],
    ...common,
    checks,
  });
  prov.origins.set(service, section.path);
  return service;
}

export interface ReadServicesResult {
  services: ServiceConfig[];
  /** `[http_service].internal_port`, the default port of top-level checks. */
  httpServicePort?: number;
}

/** `[http_service]` (expanded, first, as flyctl lists it) then every `[[services]]`. */
export function readServices(root: Section, prov: Provenance): ReadServicesResult {
  const httpTable = root.table('http_service');
  const http = httpTable && readHttpService(httpTable, prov);
  const services = root.tables('services').map((s) => readService(s, prov));
  return {
    services: [http, ...services].filter((s): s is ServiceConfig => s !== undefined),
    httpServicePort: http?.internalPort,
  };
}

function readTopLevelCheck(section: Section, httpServicePort: number | undefined, prov: Provenance): CheckConfig | undefined {
  const body = readCheckBody(section);
  const type = section.has('type') ? oneOf(section, 'type', ['http', 'tcp'] as const) : undefined;
  if (!section.has('type')) section.error('type', 'is required (http or tcp)');
  const port = section.port('port') ?? httpServicePort;
  if (!section.has('port') && httpServicePort === undefined) {
    section.error('port', 'is required when there is no [http_service] to take internal_port from');
  }
  const processes = section.stringList('processes');
  prov.scoped.push({ kind: 'check', path: section.path, processes });
  section.finish();
  if (type === undefined || port === undefined) return undefined;
  const { name: _name, ...rest } = body;
  const check: CheckConfig = compact({ ...rest, type, port, processes });
  prov.origins.set(check, section.path);
  return check;
}

/** Top-level `[checks.<name>]`, or the older `[[checks]]` list whose entries carry a `name`. */
export function readTopLevelChecks(root: Section, httpServicePort: number | undefined, prov: Provenance): Record<string, CheckConfig> {
  const checks: Record<string, CheckConfig> = {};
  const raw = root.raw['checks'];
  if (Array.isArray(raw)) {
    for (const section of root.tables('checks')) {
      const name = section.raw['name'];
      if (typeof name !== 'string' || name === '') {
        section.error('name', 'is required in a [[checks]] list entry');
        continue;
      }
      const check = readTopLevelCheck(section, httpServicePort, prov);
      if (check) checks[name] = check;
    }
    return checks;
  }
  const table = root.table('checks');
  if (!table) return checks;
  for (const name of Object.keys(table.raw)) {
    const section = table.table(name);
    const check = section && readTopLevelCheck(section, httpServicePort, prov);
    if (check) checks[name] = check;
  }
  return checks;
}
