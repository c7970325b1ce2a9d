import { readServiceEnv, type Env } from '@hangar/contracts';

export interface ReleaserConfig {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
}

/** The only reader of the environment in releaser (DESIGN §7.4). */
export function releaserConfig(env: Env = process.env): ReleaserConfig {
  const e = readServiceEnv(env);
  return { databaseUrl: e.databaseUrl, natsUrl: e.natsUrl, namespace: e.namespace };
}
