import { type OpsEndpoint, readServiceEnv, type Env, type MachinesProvider, type NatsEndpoint, type EventsStreamLimits } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';

export interface MachineUpdaterConfig {
  databaseUrl: string;
  /** `NATS_URL`, `HANGAR_NATS_CREDENTIALS`, `HANGAR_NATS_INSECURE`: where and as whom this service reaches NATS. */
  nats: NatsEndpoint;
  namespace: string;
  machinesApiUrl: string;
  /** `HANGAR_MACHINES_PROVIDER` and friends (`readMachinesProvider`); `machinesApiUrl` is its URL. */
  machinesProvider: MachinesProvider;
  /** `HANGAR_MACHINES_API_TOKEN`, or the development one fleet also uses (`resolveMachinesApiToken`). */
  machinesApiToken?: string;
  /** Where development credentials live (`HANGAR_STATE_DIR`), and whether this is production: for `resolveMachinesApiToken`. */
  state: { stateDir: string; production: boolean };
  /** `HANGAR_AUDIT_KEY` (or the generated development one): keys the hash of every event this service appends. */
  audit: AuditKeySource;
  /** `HANGAR_STREAM_MAX_AGE` / `HANGAR_STREAM_MAX_BYTES`: retention of the event feed `<NS>_EVENTS`. */
  eventsStream: EventsStreamLimits;
  /** `HANGAR_OPS_PORT` / `HANGAR_OPS_HOST`: this replica's probes and metrics (none when unset). */
  ops?: OpsEndpoint;
}

/** The only reader of the environment in machine-updater (DESIGN §7.4). */
export function machineUpdaterConfig(env: Env = process.env): MachineUpdaterConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    nats: e.nats,
    namespace: e.namespace,
    machinesApiUrl: e.machinesApiUrl,
    machinesProvider: e.machinesProvider,
    ...(e.machinesApiToken ? { machinesApiToken: e.machinesApiToken } : {}),
    state: { stateDir: e.stateDir, production: e.production },
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
    ...(e.ops ? { ops: e.ops } : {}),
  };
}
