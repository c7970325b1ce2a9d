import { EnvConfigError, optionalToken, readServiceEnv, type Env, type NatsEndpoint, type EventsStreamLimits, type OpsEndpoint } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';

export interface GatewayConfig {
  databaseUrl: string;
  /** `NATS_URL`, `HANGAR_NATS_CREDENTIALS`, `HANGAR_NATS_INSECURE`: where and as whom this service reaches NATS. */
  nats: NatsEndpoint;
  namespace: string;
  httpHost: string;
  httpPort: number;
  /** `HANGAR_ADMIN_TOKEN`; in development one is generated into `stateDir` when unset. */
  adminToken?: string;
  stateDir: string;
  production: boolean;
  /**
   * `HANGAR_PUBLIC_URL`: the base URL registries reach this gateway at (receiver URLs are built on it),
   * without a trailing slash. Unset: the address the gateway listens on, known once it listens.
   */
  publicUrl?: string;
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys appended events and checks the chain in `audit verify`. */
  audit: AuditKeySource;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: retention of the event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
  /**
   * Where the gateway reads machines' log lines (`GET /v1/apps/:app/logs`): fleet's
   * `HANGAR_MACHINES_API_URL`, with `HANGAR_FLEET_VIEWER_TOKEN` (read-only, enough) when set, else
   * `HANGAR_MACHINES_API_TOKEN`, else in development the generated token machine-updater also uses.
   */
  machinesApi: { url: string; token?: string };
  /** `HANGAR_OPS_PORT` / `HANGAR_OPS_HOST`: the same /healthz, /readyz and /metrics on a port of their own, as every service has (none when unset). */
  ops?: OpsEndpoint;
  /** How long `/metrics` reuses the gauges it read from the store, ms (default 5000). Not read from the environment: tests shorten it. */
  storeMetricsCacheMs?: number;
}

/** The only reader of the environment in gateway (DESIGN §7.4). */
export function gatewayConfig(env: Env = process.env): GatewayConfig {
  const e = readServiceEnv(env);
  const publicUrl = parsePublicUrl(env.HANGAR_PUBLIC_URL);
  return {
    databaseUrl: e.databaseUrl,
    nats: e.nats,
    namespace: e.namespace,
    httpHost: e.httpHost,
    httpPort: e.httpPort,
    ...(e.adminToken ? { adminToken: e.adminToken } : {}),
    stateDir: e.stateDir,
    production: e.production,
    ...(publicUrl ? { publicUrl } : {}),
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
    machinesApi: { url: e.machinesApiUrl, ...withToken(optionalToken(env, 'HANGAR_FLEET_VIEWER_TOKEN') ?? e.machinesApiToken) },
    ...(e.ops ? { ops: e.ops } : {}),
  };
}

function withToken(token: string | undefined): { token?: string } {
  return token ? { token } : {};
}

/** An http(s) base URL, perhaps with a path (behind a reverse proxy), never with a query or fragment. */
function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const fail = (why: string) => new EnvConfigError('HANGAR_PUBLIC_URL', `${why}; got "${raw}"`);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw fail('must be an http or https URL such as https://hangar.example.com');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw fail('must use http or https');
  if (parsed.search || parsed.hash || raw.includes('?') || raw.includes('#')) throw fail('must not have a query or fragment');
  if (parsed.username || parsed.password) throw fail('must not carry credentials');
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
