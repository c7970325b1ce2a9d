import { type OpsEndpoint, EnvConfigError, readServiceEnv, type Env, type MachinesProvider, type NatsEndpoint, type EventsStreamLimits } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';
import { parseCidr, type IpFamily, type IpRange } from './ips/domain/ip-address';
import type { IpPools } from './ips/domain/ip-pool.decider';

export interface ReleaserConfig {
  databaseUrl: string;
  /** `NATS_URL`, `HANGAR_NATS_CREDENTIALS`, `HANGAR_NATS_INSECURE`: where and as whom this service reaches NATS. */
  nats: NatsEndpoint;
  namespace: string;
  /**
   * `HANGAR_MACHINES_PROVIDER` and friends (`readMachinesProvider`): `fly` sends app creation and IPs to
   * Fly's API, refuses images Fly cannot pull at plan time, and has no default org unless `HANGAR_FLY_ORG`.
   */
  machinesProvider: MachinesProvider;
  /** `HANGAR_IPV4_POOL` / `HANGAR_IPV6_POOL`: where `ips allocate-v4|v6` take addresses from (fleet provider only). */
  ipPools: IpPools;
  /** `HANGAR_RECONCILE_INTERVAL_MS` (default 10 000): how often running releases are checked for lost work. */
  reconcileIntervalMs: number;
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys the hash of every event this service appends. */
  audit: AuditKeySource;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: retention of the event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
  /** `HANGAR_OPS_PORT` / `HANGAR_OPS_HOST`: this replica's probes and metrics (none when unset). */
  ops?: OpsEndpoint;
}

/** Documentation ranges (RFC 5737, RFC 3849): safe defaults that route nowhere. */
const DEFAULT_POOLS: Record<IpFamily, string> = { v4: '192.0.2.0/24', v6: '2001:db8::/64' };

/** The only reader of the environment in releaser (DESIGN §7.4). */
export function releaserConfig(env: Env = process.env): ReleaserConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    nats: e.nats,
    namespace: e.namespace,
    machinesProvider: e.machinesProvider,
    ipPools: { v4: pool(env, 'HANGAR_IPV4_POOL', 'v4'), v6: pool(env, 'HANGAR_IPV6_POOL', 'v6') },
    reconcileIntervalMs: reconcileInterval(env),
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
    ...(e.ops ? { ops: e.ops } : {}),
  };
}

function reconcileInterval(env: Env): number {
  const raw = env.HANGAR_RECONCILE_INTERVAL_MS;
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || ms < 100 || ms > 3_600_000) {
    throw new EnvConfigError('HANGAR_RECONCILE_INTERVAL_MS', `must be an integer from 100 to 3600000 (ms); got "${raw}"`);
  }
  return ms;
}

function pool(env: Env, variable: string, family: IpFamily): IpRange {
  const raw = env[variable] || DEFAULT_POOLS[family];
  const parsed = parseCidr(raw, family);
  if (!parsed.ok) throw new EnvConfigError(variable, parsed.reason);
  return parsed.range;
}
