import { type OpsEndpoint, EnvConfigError, readServiceEnv, type Env, type NatsEndpoint, type EventsStreamLimits } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';
import type { RegistryCredentials } from './image/registry.client';

export interface BuilderConfig {
  databaseUrl: string;
  /** `NATS_URL`, `HANGAR_NATS_CREDENTIALS`, `HANGAR_NATS_INSECURE`: where and as whom this service reaches NATS. */
  nats: NatsEndpoint;
  namespace: string;
  /** Registries spoken to over plain http besides localhost/127.0.0.1 (`HANGAR_INSECURE_REGISTRIES`, comma-separated). */
  insecureRegistries: string[];
  /** `HANGAR_REGISTRY_CREDENTIALS`: JSON `{ "<registry>": { "username", "password" } }`. */
  credentials: Record<string, RegistryCredentials>;
  /** `HANGAR_REGISTRY_MIRRORS`: JSON `{ "<registry>": "<host[:port]>" }`, e.g. `{"docker.io":"mirror.internal:5000"}`. */
  mirrors: Record<string, string>;
  /**
   * `HANGAR_REGISTRY_ALLOW_PRIVATE` (comma-separated `host` or `host:port`, default none): registries,
   * token realms and redirect targets that may resolve to private (10/8, 172.16/12, 192.168/16,
   * fc00::/7), link-local or metadata (169.254/16, fe80::/10) or loopback addresses. Every other host
   * that resolves to one is refused before any request (review H3). Mirror hosts count as listed.
   */
  allowPrivate: string[];
  /**
   * Loopback (127.0.0.0/8, ::1) registries and realms are allowed without listing them unless
   * `NODE_ENV=production`: the README tour, `hangar server` and the tests use a plain registry on
   * 127.0.0.1:5000 and fake ones on 127.0.0.1, while a production builder has no business calling
   * its own host (list it in `HANGAR_REGISTRY_ALLOW_PRIVATE` if it does).
   */
  allowLoopback: boolean;
  /** `HANGAR_RECONCILE_INTERVAL_MS` (default 10 000): how often recorded pushes are checked for a lost evaluation. */
  reconcileIntervalMs: number;
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys the hash of every event this service appends. */
  audit: AuditKeySource;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: retention of the event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
  /** `HANGAR_OPS_PORT` / `HANGAR_OPS_HOST`: this replica's probes and metrics (none when unset). */
  ops?: OpsEndpoint;
}

/** The only reader of the environment in builder (DESIGN §7.4). */
export function builderConfig(env: Env = process.env): BuilderConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    nats: e.nats,
    namespace: e.namespace,
    insecureRegistries: (env.HANGAR_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    credentials: parseCredentials(env.HANGAR_REGISTRY_CREDENTIALS),
    mirrors: parseMirrors(env.HANGAR_REGISTRY_MIRRORS),
    allowPrivate: parseAllowPrivate(env.HANGAR_REGISTRY_ALLOW_PRIVATE),
    allowLoopback: !e.production,
    reconcileIntervalMs: reconcileInterval(env.HANGAR_RECONCILE_INTERVAL_MS),
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
    ...(e.ops ? { ops: e.ops } : {}),
  };
}

/** `HANGAR_REGISTRY_CREDENTIALS`: also read by fleet's podman runtime to pull. */
export function parseCredentials(raw: string | undefined): Record<string, RegistryCredentials> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EnvConfigError('HANGAR_REGISTRY_CREDENTIALS', 'must be JSON like {"ghcr.io":{"username":"u","password":"p"}}');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new EnvConfigError('HANGAR_REGISTRY_CREDENTIALS', 'must be a JSON object');
  for (const [host, c] of Object.entries(parsed)) {
    const cred = c as Partial<RegistryCredentials>;
    if (typeof cred?.username !== 'string' || typeof cred?.password !== 'string') {
      throw new EnvConfigError('HANGAR_REGISTRY_CREDENTIALS', `entry "${host}" needs string username and password`);
    }
  }
  return parsed as Record<string, RegistryCredentials>;
}

const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;

/** `HANGAR_REGISTRY_MIRRORS`: also read by fleet's podman runtime to pull. */
export function parseMirrors(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EnvConfigError('HANGAR_REGISTRY_MIRRORS', 'must be JSON like {"docker.io":"mirror.internal:5000"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new EnvConfigError('HANGAR_REGISTRY_MIRRORS', 'must be a JSON object of registry to host[:port]');
  for (const [registry, host] of Object.entries(parsed)) {
    if (typeof host !== 'string' || !HOST_PORT.test(host)) {
      throw new EnvConfigError('HANGAR_REGISTRY_MIRRORS', `entry "${registry}" must map to a host[:port] such as mirror.internal:5000`);
    }
  }
  return parsed as Record<string, string>;
}

const ALLOW_ENTRY = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/;

function parseAllowPrivate(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = entries.find((entry) => !ALLOW_ENTRY.test(entry));
  if (bad !== undefined) throw new EnvConfigError('HANGAR_REGISTRY_ALLOW_PRIVATE', `entry "${bad}" must be a host or host:port such as registry.internal:5000`);
  return entries;
}

function reconcileInterval(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000) {
    throw new EnvConfigError('HANGAR_RECONCILE_INTERVAL_MS', `must be an integer from 100 to 3600000 (ms); got "${raw}"`);
  }
  return ms;
}
