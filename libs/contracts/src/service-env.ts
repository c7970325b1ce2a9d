import { NAMESPACE_PATTERN } from './names';
import { readMachinesProvider, type MachinesProvider } from './machines-provider';

/**
 * The environment every Hangar process understands (DESIGN §7.4), parsed and validated. Each
 * app's `<app>.config.ts` is the only place that passes `process.env` in here.
 */
/**
 * Where and as whom a service reaches NATS (DESIGN §4 "Trust"): `NATS_URL` (credentials in the URL are
 * not accepted), `HANGAR_NATS_CREDENTIALS` (a directory holding one nkey seed per identity,
 * `<service>.nk`, as `hangar nats init` writes it) and `HANGAR_NATS_INSECURE=1`, the explicit
 * opt-in to a NATS server that lets anyone in (refused in production).
 */
export interface NatsEndpoint {
  url: string;
  credentialsDir?: string;
  insecure: boolean;
}

export interface ServiceEnv {
  databaseUrl: string;
  nats: NatsEndpoint;
  namespace: string;
  httpHost: string;
  httpPort: number;
  /** `HANGAR_MACHINES_API_URL`: the same as `machinesProvider.machinesApiUrl`. */
  machinesApiUrl: string;
  machinesApiToken?: string;
  /** `HANGAR_MACHINES_PROVIDER` (`fleet` | `fly`) with its URLs and default org (`readMachinesProvider`). */
  machinesProvider: MachinesProvider;
  fleetPort: number;
  /** `HANGAR_FLEET_HOST` (default 127.0.0.1): fleet binds to loopback unless told otherwise. */
  fleetHost: string;
  /** `HANGAR_FLEET_FAULTS=1` turns on fleet's fault-injection API (tests); off by default. */
  fleetFaults: boolean;
  fleetBootMs: number;
  adminToken?: string;
  /** `HANGAR_AUDIT_KEY` decoded (32 bytes): keys the event hash chain (DESIGN G7). Unset: see `resolveAuditKey`. */
  auditKey?: Buffer;
  /** Where development secrets (admin token, secrets key) are generated: `.hangar/` by default. */
  stateDir: string;
  production: boolean;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: the limits of the JetStream event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
  /** `HANGAR_OPS_PORT` / `HANGAR_OPS_HOST`: a replica's probes and metrics; undefined when the port is unset (`readOpsEndpoint`). */
  ops?: OpsEndpoint;
}

/** Where a replica serves `/healthz`, `/readyz` and `/metrics` for its orchestrator (DESIGN §7.2). */
export interface OpsEndpoint {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

/**
 * `HANGAR_OPS_PORT` (unset: no ops port; 0: a free one) and `HANGAR_OPS_HOST` (default 127.0.0.1;
 * 0.0.0.0 in a container, so the orchestrator's probes reach it).
 */
export function readOpsEndpoint(env: Env): OpsEndpoint | undefined {
  if ((env.HANGAR_OPS_PORT ?? '').trim() === '') return undefined;
  return { host: str(env, 'HANGAR_OPS_HOST', '127.0.0.1'), port: int(env, 'HANGAR_OPS_PORT', 0, 0, 65535) };
}

export type Env = Record<string, string | undefined>;

/** Thrown at boot for a bad environment value; the message names the variable. */
export class EnvConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'EnvConfigError';
  }
}

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvConfigError(name, `must be a URL (${protocols.join(' or ')}); got "${value}"`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new EnvConfigError(name, `must use ${protocols.join(' or ')}; got "${parsed.protocol}"`);
  }
  return value.replace(/\/$/, '');
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new EnvConfigError(name, `must be an integer from ${min} to ${max}; got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new EnvConfigError(name, `must be an integer from ${min} to ${max}; got "${raw}"`);
  return n;
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new EnvConfigError(name, `must be 1 or 0 (true or false); got "${raw}"`);
}

/**
 * A base64-encoded 32-byte key, or undefined when the variable is unset. The message names the
 * variable and never echoes the value.
 */
export function parseBase64Key(env: Env, name: string): Buffer | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || raw.length % 4 !== 0) {
    throw new EnvConfigError(name, 'must be 32 random bytes, base64-encoded (`openssl rand -base64 32`); the value is not valid base64');
  }
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new EnvConfigError(name, `must be 32 random bytes, base64-encoded (\`openssl rand -base64 32\`); it decodes to ${key.length} bytes`);
  return key;
}

/** Marks of a value copied from an example rather than generated, matched without case and separators. */
const PLACEHOLDER_MARKS = ['changeme', 'example', 'placeholder', 'replace', 'xxxxxx'];
const MIN_PRODUCTION_SECRET_LENGTH = 32;
const MIN_PRODUCTION_SECRET_DISTINCT = 10;

/**
 * In production a token must look generated (review M7): a placeholder such as
 * `change-me-to-a-long-random-token` is long enough for the general check, and would otherwise be
 * the credential of a live install. Refuses one with fewer than 32 characters or fewer than 10
 * distinct ones (about one `openssl rand -hex 16` in 10 000 has fewer; generate another), or one
 * carrying an example's words. "xxx" counts only as a run of six x's: a random base64 token holds
 * "xxx" about once in 800. The message names the variable and never echoes the value.
 */
function rejectPlaceholderSecret(env: Env, name: string): void {
  const value = env[name];
  if (!value) return;
  const generate = 'generate one with `openssl rand -base64 32`';
  const normalized = value.toLowerCase().replace(/[-_.\s]/g, '');
  if (PLACEHOLDER_MARKS.some((mark) => normalized.includes(mark))) {
    throw new EnvConfigError(name, `looks like a placeholder (it contains an example's words such as "change-me"); ${generate}`);
  }
  if (value.length < MIN_PRODUCTION_SECRET_LENGTH || new Set(value).size < MIN_PRODUCTION_SECRET_DISTINCT) {
    throw new EnvConfigError(
      name,
      `is too weak for NODE_ENV=production (needs at least ${MIN_PRODUCTION_SECRET_LENGTH} characters, ${MIN_PRODUCTION_SECRET_DISTINCT} of them distinct); ${generate}`,
    );
  }
}

/**
 * An optional bearer token variable: undefined when unset or empty, else at least 16 characters (as
 * `HANGAR_ADMIN_TOKEN` must be). The message names the variable and never echoes the value.
 */
export function optionalToken(env: Env, name: string): string | undefined {
  const value = env[name] || undefined;
  if (value !== undefined && value.length < 16) throw new EnvConfigError(name, 'must be at least 16 characters');
  return value;
}

/** Parses and validates the shared variables; throws `EnvConfigError` naming the first bad one. */
export function readServiceEnv(env: Env): ServiceEnv {
  const namespace = str(env, 'HANGAR_NAMESPACE', 'hangar');
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new EnvConfigError('HANGAR_NAMESPACE', `must match ${NAMESPACE_PATTERN.source}; got "${namespace}"`);
  }
  const fleetPort = int(env, 'HANGAR_FLEET_PORT', 4281, 0, 65535);
  const adminToken = env.HANGAR_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new EnvConfigError('HANGAR_ADMIN_TOKEN', 'must be at least 16 characters');
  }
  if (env.NODE_ENV === 'production') {
    rejectPlaceholderSecret(env, 'HANGAR_ADMIN_TOKEN');
    rejectPlaceholderSecret(env, 'HANGAR_MACHINES_API_TOKEN');
  }
  const auditKey = parseBase64Key(env, 'HANGAR_AUDIT_KEY');
  const production = env.NODE_ENV === 'production';
  const machinesProvider = readMachinesProvider(env, fleetPort);
  const ops = readOpsEndpoint(env);
  return {
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/hangar', ['postgres', 'postgresql']),
    nats: natsEndpoint(env, production),
    namespace,
    httpHost: str(env, 'HANGAR_HTTP_HOST', '127.0.0.1'),
    httpPort: int(env, 'HANGAR_HTTP_PORT', 4280, 0, 65535),
    machinesApiUrl: machinesProvider.machinesApiUrl,
    machinesApiToken: env.HANGAR_MACHINES_API_TOKEN || undefined,
    machinesProvider,
    fleetPort,
    fleetHost: str(env, 'HANGAR_FLEET_HOST', '127.0.0.1'),
    fleetFaults: flag(env, 'HANGAR_FLEET_FAULTS'),
    fleetBootMs: int(env, 'HANGAR_FLEET_BOOT_MS', 50, 0, 600000),
    adminToken,
    ...(auditKey ? { auditKey } : {}),
    stateDir: str(env, 'HANGAR_STATE_DIR', '.hangar'),
    production,
    eventsStream: readEventsStreamLimits(env, production),
    ...(ops ? { ops } : {}),
  };
}

function natsEndpoint(env: Env, production: boolean): NatsEndpoint {
  const natsUrl = url(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats', 'tls', 'ws', 'wss']);
  if (new URL(natsUrl).username) {
    throw new EnvConfigError('NATS_URL', 'must not carry credentials: give each service its own NATS identity with HANGAR_NATS_CREDENTIALS (hangar nats init)');
  }
  const insecure = flag(env, 'HANGAR_NATS_INSECURE');
  if (insecure && production) {
    throw new EnvConfigError('HANGAR_NATS_INSECURE', 'is refused in production (NODE_ENV=production): run NATS with authentication (hangar nats init)');
  }
  const credentialsDir = env.HANGAR_NATS_CREDENTIALS?.trim() || undefined;
  return { url: natsUrl, ...(credentialsDir ? { credentialsDir } : {}), insecure };
}

/** The retention limits of the JetStream event feed `<NS>_EVENTS` (review M6); the store stays the truth. */
export interface EventsStreamLimits {
  /** Oldest message kept, ms; 0 = no age limit. */
  maxAgeMs: number;
  /** Bytes kept (oldest dropped first); JetStream reserves this much file storage on the server. */
  maxBytes: number;
}

const DAY_MS = 86_400_000;
const GIB = 2 ** 30;
const AGE_UNITS_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: DAY_MS };
const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: GIB, tib: 2 ** 40 };

/**
 * `HANGAR_STREAM_MAX_AGE` (`<n>m|h|d` or `0` for none; default 30d, at least 1h so it spans the
 * duplicate window) and `HANGAR_STREAM_MAX_BYTES` (`<n>[KiB|MiB|GiB|TiB]`, at least 1 MiB; default
 * 10 GiB in production, 256 MiB otherwise: JetStream reserves it per stream, and test namespaces are many).
 */
export function readEventsStreamLimits(env: Env, production: boolean): EventsStreamLimits {
  const age = (env.HANGAR_STREAM_MAX_AGE ?? '').trim() || '30d';
  const ageMatch = /^(\d+)([mhd])$/.exec(age);
  const maxAgeMs = age === '0' ? 0 : ageMatch ? Number(ageMatch[1]) * AGE_UNITS_MS[ageMatch[2]!]! : NaN;
  if (!(maxAgeMs === 0 || (maxAgeMs >= 3_600_000 && maxAgeMs <= 3650 * DAY_MS))) {
    throw new EnvConfigError('HANGAR_STREAM_MAX_AGE', `must be a duration such as 30d, 72h or 90m, from 1h to 3650d, or 0 for no age limit; got "${age}"`);
  }
  const bytes = (env.HANGAR_STREAM_MAX_BYTES ?? '').trim() || (production ? '10GiB' : '256MiB');
  const bytesMatch = /^(\d+)\s*([a-z]*)$/i.exec(bytes);
  const unit = bytesMatch ? BYTE_UNITS[bytesMatch[2]!.toLowerCase()] : undefined;
  const maxBytes = bytesMatch && unit ? Number(bytesMatch[1]) * unit : NaN;
  if (!(maxBytes >= 2 ** 20 && maxBytes <= 2 ** 50)) {
    throw new EnvConfigError('HANGAR_STREAM_MAX_BYTES', `must be a size such as 10GiB, 512MiB or 1073741824 (bytes), at least 1MiB; got "${bytes}"`);
  }
  return { maxAgeMs, maxBytes };
}
