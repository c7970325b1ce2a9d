import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Env } from '@hangar/contracts';

export interface CliConfig {
  apiUrl: string;
  token?: string;
}

/** The only reader of the environment in the CLI: `HANGAR_API_URL`, `HANGAR_API_TOKEN` (DESIGN §7.4). */
export function cliConfig(env: Env = process.env): CliConfig {
  const apiUrl = (env.HANGAR_API_URL || `http://${env.HANGAR_HTTP_HOST || '127.0.0.1'}:${env.HANGAR_HTTP_PORT || '4280'}`).replace(/\/$/, '');
  const token = env.HANGAR_API_TOKEN || readTokenFile(env);
  return { apiUrl, ...(token ? { token } : {}) };
}

/** A development server writes its generated admin token to `.hangar/admin-token`. */
function readTokenFile(env: Env): string | undefined {
  const candidates = [join(resolve(env.HANGAR_STATE_DIR || '.hangar'), 'admin-token'), join(homedir(), '.hangar', 'admin-token')];
  for (const file of candidates) {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  }
  return undefined;
}

/** The environment `hangar server` passes on to the services it starts in-process. */
export function serverEnv(env: Env = process.env): Env {
  return env;
}
