import { readServiceEnv, type Env, type EventsStreamLimits } from '@hangar/contracts';
import type { AuditKeySource } from '@hangar/event-store';
import type { AdminTokenSource } from '@hangar/messaging';

export interface MachineUpdaterConfig {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  machinesApiUrl: string;
  /** `HANGAR_MACHINES_API_TOKEN`, or the development one fleet also uses (`resolveMachinesApiToken`). */
  machinesApiToken?: string;
  /** The service credential for NATS commands (`HANGAR_ADMIN_TOKEN`, or the generated development one). */
  credential: AdminTokenSource;
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
    natsUrl: e.natsUrl,
    namespace: e.namespace,
    machinesApiUrl: e.machinesApiUrl,
    ...(e.machinesApiToken ? { machinesApiToken: e.machinesApiToken } : {}),
    credential: { adminToken: e.adminToken, stateDir: e.stateDir, production: e.production },
    audit: { ...(e.auditKey ? { auditKey: e.auditKey } : {}), stateDir: e.stateDir, production: e.production },
    eventsStream: e.eventsStream,
  };
}
