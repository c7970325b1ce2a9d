import { isIP } from 'node:net';
import { parseCredentials, parseMirrors } from '../../builder/src/builder.config';
import { EnvConfigError, fleetIdOf, optionalToken, readServiceEnv, type Env } from '@hangar/contracts';
import type { RateLimitSetting } from './http/rate-limit';

/** Everything fleet needs from its environment, validated (DESIGN §7.4, §7.5). */
export interface FleetConfig {
  /** Postgres URL; the database is created when missing, fleet's tables live in schema `fleet`. */
  databaseUrl: string;
  /** `HANGAR_FLEET_HOST`, default 127.0.0.1. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Simulated boot time of a machine, ms. */
  bootMs: number;
  /**
   * Every API call but `/healthz` needs `Authorization: Bearer <token>`. `HANGAR_MACHINES_API_TOKEN`;
   * when absent, `startFleet` uses the development token in `stateDir` (production requires it).
   */
  token?: string;
  /**
   * `HANGAR_FLEET_VIEWER_TOKEN` (optional, at least 16 characters, not the full token): a read-only
   * token. Its holder may only GET, and sees machines with secret values redacted.
   */
  viewerToken?: string;
  /** Where the development token is generated; default `.hangar`. */
  stateDir?: string;
  production?: boolean;
  /** `HANGAR_FLEET_FAULTS=1`: the fault-injection API `/fleet/v1/faults` exists and faults apply. Off by default. */
  faults?: boolean;
  /** Connections in fleet's pool; default 10. */
  poolSize?: number;
  /**
   * `HANGAR_FLEET_RUNTIME`: `sim` (default) simulates machines on a clock; `podman` runs each machine
   * as a real container.
   */
  runtime?: FleetRuntimeKind;
  /** `HANGAR_PODMAN_CONF`: the containers.conf podman runs with; default the project's `deploy/podman/containers.conf`. */
  podmanConf?: string;
  /** `PATH` and `HOME` of fleet's own environment, which podman runs with (podman runtime). */
  podmanEnv?: { PATH: string; HOME: string };
  /** `HANGAR_INSECURE_REGISTRIES` and loopback registries: pulled over plain HTTP. */
  insecureRegistries?: string[];
  /** `HANGAR_REGISTRY_CREDENTIALS` (the builder's): credentials by registry host, for pulls. */
  registryCredentials?: Record<string, { username: string; password: string }>;
  /** `HANGAR_REGISTRY_MIRRORS` (the builder's): registry → mirror host[:port] to pull from instead. */
  registryMirrors?: Record<string, string>;
  /** Labels fleet's containers (`hangar.fleet=<id>`): the database name, so two fleets on one host never touch each other's. */
  fleetId?: string;
  /**
   * `HANGAR_FLEET_RATE_LIMIT` (`<per second>` or `<per second>/<burst>`; unset or `off`: no limit):
   * calls on one machine's one action beyond it are answered 429 with `Retry-After`, as Fly does.
   */
  rateLimit?: RateLimitSetting;
  /**
   * `HANGAR_FLEET_REGIONS` (comma list; unset: any region is accepted): the regions this fleet has;
   * a machine or volume asked for in another one is refused as Fly refuses an unknown region.
   */
  regions?: string[];
  /** `HANGAR_FLEET_RECORD`: a file every request (but `/healthz`) and its response is appended to as NDJSON (the contract test reads it). */
  recordPath?: string;
  /** Where the edge proxy listens (`<app>.localhost` → the app's machines); absent in tests that build fleet alone. */
  edge?: EdgeListenConfig;
}

/** `HANGAR_EDGE_HOST` (default 127.0.0.1) and `HANGAR_EDGE_PORT` (default 4290; 0 picks a free port). */
export interface EdgeListenConfig {
  host: string;
  port: number;
}

export type FleetRuntimeKind = 'sim' | 'podman';

export const FLEET_CONFIG = Symbol('FLEET_CONFIG');

/**
 * The only reader of the environment in fleet: `DATABASE_URL`, `HANGAR_FLEET_HOST` (127.0.0.1),
 * `HANGAR_FLEET_PORT` (4281), `HANGAR_FLEET_BOOT_MS` (50), `HANGAR_MACHINES_API_TOKEN`,
 * `HANGAR_FLEET_VIEWER_TOKEN`, `HANGAR_FLEET_FAULTS`, `HANGAR_FLEET_RUNTIME`, `HANGAR_PODMAN_CONF`,
 * `HANGAR_INSECURE_REGISTRIES`, `HANGAR_STATE_DIR`, `HANGAR_EDGE_HOST` (127.0.0.1), `HANGAR_EDGE_PORT` (4290),
 * `NODE_ENV`. A bad value throws `EnvConfigError` naming the variable.
 */
export function fleetConfig(env: Env = process.env): FleetConfig {
  const e = readServiceEnv(env);
  const viewerToken = optionalToken(env, 'HANGAR_FLEET_VIEWER_TOKEN');
  if (viewerToken !== undefined && viewerToken === e.machinesApiToken) {
    throw new EnvConfigError('HANGAR_FLEET_VIEWER_TOKEN', 'must differ from HANGAR_MACHINES_API_TOKEN: a viewer would get full access');
  }
  return {
    databaseUrl: e.databaseUrl,
    host: e.fleetHost,
    port: e.fleetPort,
    bootMs: e.fleetBootMs,
    ...(e.machinesApiToken ? { token: e.machinesApiToken } : {}),
    ...(viewerToken ? { viewerToken } : {}),
    stateDir: e.stateDir,
    production: e.production,
    faults: e.fleetFaults,
    runtime: runtimeKind(env),
    ...(env.HANGAR_PODMAN_CONF ? { podmanConf: env.HANGAR_PODMAN_CONF } : {}),
    ...(runtimeKind(env) === 'podman' ? { podmanEnv: { PATH: env.PATH || '/usr/sbin:/usr/bin:/sbin:/bin', HOME: env.HOME || '/root' } } : {}),
    insecureRegistries: (env.HANGAR_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    registryCredentials: parseCredentials(env.HANGAR_REGISTRY_CREDENTIALS),
    registryMirrors: parseMirrors(env.HANGAR_REGISTRY_MIRRORS),
    fleetId: fleetIdOf(e.databaseUrl),
    edge: edgeListenConfig(env),
    ...optional('rateLimit', rateLimitSetting(env)),
    ...optional('regions', regionList(env)),
    ...optional('recordPath', env.HANGAR_FLEET_RECORD?.trim() || undefined),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function rateLimitSetting(env: Env): RateLimitSetting | undefined {
  const raw = env.HANGAR_FLEET_RATE_LIMIT?.trim() ?? '';
  if (raw === '' || raw === 'off') return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(raw);
  const perSec = m ? Number(m[1]) : NaN;
  if (!m || !(perSec > 0)) throw new EnvConfigError('HANGAR_FLEET_RATE_LIMIT', `must be <requests per second>[/<burst>] (e.g. 5 or 1/3) or off; got "${raw}"`);
  return { perSec, burst: m[2] ? Math.max(1, Number(m[2])) : Math.max(1, Math.ceil(perSec)) };
}

function regionList(env: Env): string[] | undefined {
  const raw = env.HANGAR_FLEET_REGIONS?.trim() ?? '';
  if (raw === '') return undefined;
  const regions = raw.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = regions.find((r) => !/^[a-z0-9-]{1,32}$/.test(r));
  if (bad !== undefined) throw new EnvConfigError('HANGAR_FLEET_REGIONS', `must be a comma list of region codes (e.g. ams,iad); got "${bad}"`);
  return regions;
}

function runtimeKind(env: Env): FleetRuntimeKind {
  const raw = (env.HANGAR_FLEET_RUNTIME ?? '').trim() || 'sim';
  if (raw !== 'sim' && raw !== 'podman') throw new EnvConfigError('HANGAR_FLEET_RUNTIME', `must be sim or podman; got "${raw}"`);
  return raw;
}

export { fleetIdOf };

function edgeListenConfig(env: Env): EdgeListenConfig {
  const host = env.HANGAR_EDGE_HOST?.trim() || '127.0.0.1';
  if (isIP(host) === 0 && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host)) {
    throw new EnvConfigError('HANGAR_EDGE_HOST', `must be an IP address or a host name; got "${host}"`);
  }
  const raw = env.HANGAR_EDGE_PORT?.trim() || '4290';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new EnvConfigError('HANGAR_EDGE_PORT', `must be an integer from 0 to 65535; got "${env.HANGAR_EDGE_PORT}"`);
  }
  return { host, port };
}
