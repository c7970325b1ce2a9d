import type { CheckConfig, ConfigIssue } from './app-config.types';
import { IssueCollector, Section, type RawTable } from './config-reader';
import { normalizeAppConfig } from './normalize-app-config';
import type { ParseAppConfigResult } from './parse-app-config';
import { createTomlLocator } from './toml-locator';
import { validateAppConfig } from './validate-app-config';

/** The top-level keys of the normalised config (DESIGN §6.1): nothing else is accepted. */
const TOP_LEVEL_KEYS = ['app', 'primaryRegion', 'killSignal', 'killTimeoutMs', 'build', 'deploy', 'env', 'processes', 'mounts', 'services', 'checks', 'vm', 'warnings'];

type Json = Record<string, unknown>;

/**
 * Checks a normalised config (the JSON `hangar config validate --json` prints, as the deploy API's
 * `config` takes it) exactly as a fly.toml is checked: it is written back into fly.toml's shape and
 * read by the same normaliser and validator, so a bad value, an unknown group or a bound broken in
 * JSON is the same error it is in a file (paths are fly.toml's, without lines). An unknown key at
 * the top, or a value that is not what the normaliser would have printed, is an error too.
 */
export function parseNormalizedAppConfig(value: unknown): ParseAppConfigResult {
  if (!isTable(value)) return { ok: false, errors: [{ path: 'config', message: 'must be a normalised config object as printed by `hangar config validate --json`' }] };
  const unknown = Object.keys(value).filter((k) => !TOP_LEVEL_KEYS.includes(k));
  if (unknown.length > 0) return { ok: false, errors: unknown.map((k) => ({ path: `config.${k}`, message: `is not a key of the normalised config (keys: ${TOP_LEVEL_KEYS.join(', ')})` })) };
  const raw = toFlyToml(value);
  const issues = new IssueCollector(createTomlLocator(''), raw);
  const normalized = normalizeAppConfig(new Section(issues, [], raw));
  validateAppConfig(normalized, issues);
  if (issues.errors.length > 0) return { ok: false, errors: [...issues.errors] };
  const { warnings: _w, ...read } = normalized.config;
  const { warnings: _given, ...given } = value;
  const differs = Object.keys({ ...read, ...given }).filter((k) => JSON.stringify(canonical((read as Json)[k])) !== JSON.stringify(canonical(given[k])) && !(k in DEFAULTS && given[k] === undefined));
  if (differs.length > 0) {
    return { ok: false, errors: differs.map((k): ConfigIssue => ({ path: `config.${k}`, message: 'has fields or values the normalised config does not have (print it with `hangar config validate --json`)' })) };
  }
  return { ok: true, config: normalized.config };
}

/** What a normalised config may leave out. */
const DEFAULTS: Record<string, true> = { env: true, processes: true, mounts: true, services: true, checks: true, vm: true };

/** The fly.toml table a normalised config was read from (durations as `<n>ms`, keys in snake_case). */
export function toFlyToml(c: Json): RawTable {
  return prune({
    app: c.app,
    primary_region: c.primaryRegion,
    kill_signal: c.killSignal,
    kill_timeout: ms(c.killTimeoutMs),
    build: isTable(c.build) ? { image: c.build.image, dockerfile: c.build.dockerfile, builder: c.build.builder, args: c.build.args } : c.build,
    deploy: isTable(c.deploy) ? deployTable(c.deploy) : c.deploy,
    env: c.env,
    processes: isTable(c.processes) && Object.keys(c.processes).length === 1 && c.processes.app === '' ? undefined : c.processes,
    mounts: mapTables(c.mounts, (m) => ({ source: m.source, destination: m.destination, processes: m.processes, initial_size: m.initialSize })),
    services: mapTables(c.services, serviceTable),
    checks: isTable(c.checks) ? Object.fromEntries(Object.entries(c.checks).map(([name, check]) => [name, isTable(check) ? checkTable(check, true) : check])) : c.checks,
    vm: mapTables(c.vm, (v) => ({ size: v.size, memory_mb: v.memoryMb, cpus: v.cpus, cpu_kind: v.cpuKind, processes: v.processes })),
  }) as RawTable;
}

function deployTable(d: Json): Json {
  return {
    strategy: d.strategy,
    max_unavailable: d.maxUnavailable,
    wait_timeout: ms(d.waitTimeoutMs),
    release_command: d.releaseCommand,
    release_command_timeout: d.releaseCommandTimeoutMs === null ? 'none' : ms(d.releaseCommandTimeoutMs),
    auto_rollback: d.autoRollback,
  };
}

function serviceTable(s: Json): Json {
  const checks = Array.isArray(s.checks) ? s.checks : [];
  const ofType = (type: string) => checks.filter((c): c is Json => isTable(c) && c.type === type).map((c) => checkTable(c, false));
  const concurrency = isTable(s.concurrency) ? { type: s.concurrency.type, soft_limit: s.concurrency.softLimit, hard_limit: s.concurrency.hardLimit } : s.concurrency;
  return {
    protocol: s.protocol,
    internal_port: s.internalPort,
    ports: mapTables(s.ports, (p) => ({ port: p.port, start_port: p.startPort, end_port: p.endPort, handlers: p.handlers, force_https: p.forceHttps })),
    processes: s.processes,
    auto_stop_machines: s.autoStopMachines,
    auto_start_machines: s.autoStartMachines,
    min_machines_running: s.minMachinesRunning,
    concurrency,
    // A check that is neither http nor tcp cannot be placed: left as it is, the normaliser names it.
    ...(checks.every((c) => isTable(c) && (c.type === 'http' || c.type === 'tcp')) ? { tcp_checks: ofType('tcp'), http_checks: ofType('http') } : { tcp_checks: checks }),
  };
}

function checkTable(c: Json, topLevel: boolean): Json {
  return {
    ...(topLevel ? { type: c.type } : { name: c.name }),
    port: c.port,
    interval: ms(c.intervalMs),
    timeout: ms(c.timeoutMs),
    grace_period: ms(c.gracePeriodMs),
    method: c.method,
    path: c.path,
    protocol: c.protocol,
    headers: c.headers,
    tls_skip_verify: c.tlsSkipVerify,
    tls_server_name: c.tlsServerName,
    processes: c.processes,
  } satisfies Record<string, unknown> & Partial<Record<keyof CheckConfig, unknown>>;
}

/** A duration in ms as fly.toml writes one (`1500ms`); anything else is passed on for the normaliser to name. */
function ms(value: unknown): unknown {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? `${value}ms` : value;
}

function mapTables(value: unknown, fn: (t: Json) => Json): unknown {
  return Array.isArray(value) ? value.map((item) => (isTable(item) ? fn(item) : item)) : value;
}

function isTable(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops undefined members, recursively, as a TOML document has none. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (!isTable(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, prune(v)]));
}

/** Key order does not matter when comparing what was given with what was read. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isTable(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
}

