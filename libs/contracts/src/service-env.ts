import { NAMESPACE_PATTERN } from './names';

/**
 * The environment every Hangar process understands (DESIGN §7.4), parsed and validated. Each
 * app's `<app>.config.ts` is the only place that passes `process.env` in here.
 */
export interface ServiceEnv {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  httpHost: string;
  httpPort: number;
  machinesApiUrl: string;
  machinesApiToken?: string;
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
  const auditKey = parseBase64Key(env, 'HANGAR_AUDIT_KEY');
  return {
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/hangar', ['postgres', 'postgresql']),
    natsUrl: url(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats', 'tls', 'ws', 'wss']),
    namespace,
    httpHost: str(env, 'HANGAR_HTTP_HOST', '127.0.0.1'),
    httpPort: int(env, 'HANGAR_HTTP_PORT', 4280, 0, 65535),
    machinesApiUrl: url(env, 'HANGAR_MACHINES_API_URL', `http://127.0.0.1:${fleetPort}`, ['http', 'https']),
    machinesApiToken: env.HANGAR_MACHINES_API_TOKEN || undefined,
    fleetPort,
    fleetHost: str(env, 'HANGAR_FLEET_HOST', '127.0.0.1'),
    fleetFaults: flag(env, 'HANGAR_FLEET_FAULTS'),
    fleetBootMs: int(env, 'HANGAR_FLEET_BOOT_MS', 50, 0, 600000),
    adminToken,
    ...(auditKey ? { auditKey } : {}),
    stateDir: str(env, 'HANGAR_STATE_DIR', '.hangar'),
    production: env.NODE_ENV === 'production',
  };
}
