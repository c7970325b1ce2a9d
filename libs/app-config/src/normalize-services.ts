import type { ServiceConfig, ServicePortConfig } from './app-config.types';
import { compact, describeValue, oneOf, type Section } from './config-reader';
import { readServiceCheck } from './normalize-checks';
import type { Provenance } from './provenance';

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

function readPort(section: Section): ServicePortConfig | undefined {
  const port = compact({
    port: section.port('port', true),
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

function requiredInternalPort(section: Section, truncate: boolean): number | undefined {
  if (!section.has('internal_port')) {
    section.value('internal_port');
    section.error('internal_port', 'is required');
    return undefined;
  }
  return section.port('internal_port', truncate);
}

/**
 * One `[[services]]` entry, read as flyctl's `_patchService` leaves it: `internal_port` and
 * `ports.port` may be strings or fractions (`castToInt`), `concurrency` may be `"soft,hard"`, checks
 * and ports may be one table instead of a list.
 */
function readService(section: Section, prov: Provenance): ServiceConfig | undefined {
  const protocol = section.has('protocol') ? oneOf(section, 'protocol', ['tcp', 'udp'] as const) : 'tcp';
  const internalPort = requiredInternalPort(section, true);
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
  const internalPort = requiredInternalPort(section, false);
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

/**
 * `[http_service]` (expanded, first, as flyctl lists it) then every `[[services]]`; an empty
 * `[[services]]` table is dropped, as flyctl's `patchServices` drops it, with a warning.
 */
export function readServices(root: Section, prov: Provenance): ReadServicesResult {
  const httpTable = root.table('http_service');
  const http = httpTable && readHttpService(httpTable, prov);
  const services = root.tables('services').map((s) => {
    if (Object.keys(s.raw).length > 0) return readService(s, prov);
    root.issues.warn(s.path, 'empty section, ignored');
    return undefined;
  });
  return {
    services: [http, ...services].filter((s): s is ServiceConfig => s !== undefined),
    httpServicePort: http?.internalPort,
  };
}
