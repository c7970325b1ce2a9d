import { readServiceEnv, type Env } from '@hangar/contracts';

export interface GatewayConfig {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  httpHost: string;
  httpPort: number;
  /** `HANGAR_ADMIN_TOKEN`; in development one is generated into `stateDir` when unset. */
  adminToken?: string;
  stateDir: string;
  production: boolean;
}

/** The only reader of the environment in gateway (DESIGN §7.4). */
export function gatewayConfig(env: Env = process.env): GatewayConfig {
  const e = readServiceEnv(env);
  return {
    databaseUrl: e.databaseUrl,
    natsUrl: e.natsUrl,
    namespace: e.namespace,
    httpHost: e.httpHost,
    httpPort: e.httpPort,
    ...(e.adminToken ? { adminToken: e.adminToken } : {}),
    stateDir: e.stateDir,
    production: e.production,
  };
}
