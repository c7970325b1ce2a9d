import { readServiceEnv, type Env } from '@hangar/contracts';

/** Everything fleet needs from its environment, validated (DESIGN §7.4, §7.5). */
export interface FleetConfig {
  /** Postgres URL; the database is created when missing, fleet's tables live in schema `fleet`. */
  databaseUrl: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Simulated boot time of a machine, ms. */
  bootMs: number;
  /** When set, every API call needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Connections in fleet's pool; default 10. */
  poolSize?: number;
}

export const FLEET_CONFIG = Symbol('FLEET_CONFIG');

/**
 * The only reader of the environment in fleet: `DATABASE_URL`, `HANGAR_HTTP_HOST`,
 * `HANGAR_FLEET_PORT` (4281), `HANGAR_FLEET_BOOT_MS` (50), `HANGAR_MACHINES_API_TOKEN`. A bad value
 * throws `EnvConfigError` naming the variable.
 */
export function fleetConfig(env: Env = process.env): FleetConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    host: e.httpHost,
    port: e.fleetPort,
    bootMs: e.fleetBootMs,
    ...(e.machinesApiToken ? { token: e.machinesApiToken } : {}),
  };
}
