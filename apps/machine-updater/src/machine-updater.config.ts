import { EnvConfigError, readServiceEnv, type Env, type NatsEndpoint, type EventsStreamLimits } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';

export interface MachineUpdaterConfig {
  databaseUrl: string;
  /** `NATS_URL`, `HANGAR_NATS_CREDENTIALS`, `HANGAR_NATS_INSECURE`: where and as whom this service reaches NATS. */
  nats: NatsEndpoint;
  namespace: string;
  machinesApiUrl: string;
  /**
   * `HANGAR_MACHINES_PROVIDER` (`fleet` | `fly`); when unset, `fly` for Fly's own hosts
   * (`api.machines.dev`, `_api.internal`), else `fleet`. Decides where release command logs are read.
   */
  machinesProvider: 'fleet' | 'fly';
  /** `HANGAR_MACHINES_API_TOKEN`, or the development one fleet also uses (`resolveMachinesApiToken`). */
  machinesApiToken?: string;
  /** Where development credentials live (`HANGAR_STATE_DIR`), and whether this is production: for `resolveMachinesApiToken`. */
  state: { stateDir: string; production: boolean };
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys the hash of every event this service appends. */
  audit: AuditKeySource;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: retention of the event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
}

/** The only reader of the environment in machine-updater (DESIGN §7.4). */
export function machineUpdaterConfig(env: Env = process.env): MachineUpdaterConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    nats: e.nats,
    namespace: e.namespace,
    machinesApiUrl: e.machinesApiUrl,
    machinesProvider: machinesProviderOf(env.HANGAR_MACHINES_PROVIDER, e.machinesApiUrl),
    ...(e.machinesApiToken ? { machinesApiToken: e.machinesApiToken } : {}),
    state: { stateDir: e.stateDir, production: e.production },
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
  };
}

const FLY_API_HOSTS = new Set(['api.machines.dev', '_api.internal']);

function machinesProviderOf(value: string | undefined, url: string): 'fleet' | 'fly' {
  if (value === 'fleet' || value === 'fly') return value;
  if (value) throw new EnvConfigError('HANGAR_MACHINES_PROVIDER', `must be fleet or fly; got "${value}"`);
  return FLY_API_HOSTS.has(new URL(url).hostname) ? 'fly' : 'fleet';
}
