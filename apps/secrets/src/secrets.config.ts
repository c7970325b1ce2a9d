import { type OpsEndpoint, EnvConfigError, parseBase64Key, readServiceEnv, type Env, type NatsEndpoint, type EventsStreamLimits } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';

export interface SecretsConfig {
  databaseUrl: string;
  /** `NATS_URL`, `HANGAR_NATS_CREDENTIALS`, `HANGAR_NATS_INSECURE`: where and as whom this service reaches NATS. */
  nats: NatsEndpoint;
  namespace: string;
  /** `HANGAR_SECRETS_KEY` decoded; absent in development when it is to be generated into `stateDir`. */
  secretsKey?: Buffer;
  /** `HANGAR_SECRETS_KEY_PREVIOUS`: still unwraps data keys until `secrets rotate-key` re-wraps them. */
  previousSecretsKey?: Buffer;
  /** `HANGAR_SECRETS_RETAIN_VERSIONS` (default 20): secrets versions kept per app besides the released one. */
  retainVersions: number;
  stateDir: string;
  production: boolean;
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys the hash of every event this service appends. */
  audit: AuditKeySource;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: retention of the event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
  /** `HANGAR_OPS_PORT` / `HANGAR_OPS_HOST`: this replica's probes and metrics (none when unset). */
  ops?: OpsEndpoint;
}

const DEFAULT_RETAIN_VERSIONS = 20;

/** The only reader of the environment in secrets (DESIGN §7.4). Never echoes a key in an error. */
export function secretsConfig(env: Env = process.env): SecretsConfig {
  const e = readServiceEnv(env);
  const secretsKey = parseKey(env, 'HANGAR_SECRETS_KEY');
  if (!secretsKey && e.production) throw new EnvConfigError('HANGAR_SECRETS_KEY', 'is required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`)');
  const previousSecretsKey = parseKey(env, 'HANGAR_SECRETS_KEY_PREVIOUS');
  if (previousSecretsKey && !secretsKey) throw new EnvConfigError('HANGAR_SECRETS_KEY_PREVIOUS', 'is set but HANGAR_SECRETS_KEY is not: set the new key too');
  return {
    databaseUrl: e.databaseUrl,
    nats: e.nats,
    namespace: e.namespace,
    ...(secretsKey ? { secretsKey } : {}),
    ...(previousSecretsKey ? { previousSecretsKey } : {}),
    retainVersions: retainVersions(env),
    stateDir: e.stateDir,
    production: e.production,
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
    ...(e.ops ? { ops: e.ops } : {}),
  };
}

/** A base64-encoded 32-byte key, or undefined when the variable is unset (shared with every service's `HANGAR_AUDIT_KEY`). */
export const parseKey = parseBase64Key;

function retainVersions(env: Env): number {
  const raw = env.HANGAR_SECRETS_RETAIN_VERSIONS?.trim();
  if (!raw) return DEFAULT_RETAIN_VERSIONS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 100000) throw new EnvConfigError('HANGAR_SECRETS_RETAIN_VERSIONS', `must be an integer from 1 to 100000; got "${raw}"`);
  return n;
}
