import { EnvConfigError, readServiceEnv, type Env } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';
import type { AdminTokenSource } from '@hangar/messaging';
import type { RegistryCredentials } from './image/registry.client';

export interface BuilderConfig {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  /** Registries spoken to over plain http besides localhost/127.0.0.1 (`HANGAR_INSECURE_REGISTRIES`, comma-separated). */
  insecureRegistries: string[];
  /** `HANGAR_REGISTRY_CREDENTIALS`: JSON `{ "<registry>": { "username", "password" } }`. */
  credentials: Record<string, RegistryCredentials>;
  /** `HANGAR_REGISTRY_MIRRORS`: JSON `{ "<registry>": "<host[:port]>" }`, e.g. `{"docker.io":"mirror.internal:5000"}`. */
  mirrors: Record<string, string>;
  /** `HANGAR_RECONCILE_INTERVAL_MS` (default 10 000): how often recorded pushes are checked for a lost evaluation. */
  reconcileIntervalMs: number;
  /** The service credential for NATS commands (`HANGAR_ADMIN_TOKEN`, or the generated development one). */
  credential: AdminTokenSource;
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys the hash of every event this service appends. */
  audit: AuditKeySource;
}

/** The only reader of the environment in builder (DESIGN §7.4). */
export function builderConfig(env: Env = process.env): BuilderConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    natsUrl: e.natsUrl,
    namespace: e.namespace,
    insecureRegistries: (env.HANGAR_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    credentials: parseCredentials(env.HANGAR_REGISTRY_CREDENTIALS),
    mirrors: parseMirrors(env.HANGAR_REGISTRY_MIRRORS),
    reconcileIntervalMs: reconcileInterval(env.HANGAR_RECONCILE_INTERVAL_MS),
    credential: { adminToken: e.adminToken, stateDir: e.stateDir, production: e.production },
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
  };
}

function parseCredentials(raw: string | undefined): Record<string, RegistryCredentials> {
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

function parseMirrors(raw: string | undefined): Record<string, string> {
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

function reconcileInterval(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000) {
    throw new EnvConfigError('HANGAR_RECONCILE_INTERVAL_MS', `must be an integer from 100 to 3600000 (ms); got "${raw}"`);
  }
  return ms;
}
