import { EnvConfigError, type Env } from './service-env';

/**
 * Which machines platform Hangar drives (`HANGAR_MACHINES_PROVIDER`):
 * - `fleet` (default): the local fleet (`apps/fleet`), reached at `http://127.0.0.1:<HANGAR_FLEET_PORT>`;
 * - `fly`: Fly.io's Machines API, `https://api.machines.dev` unless `HANGAR_MACHINES_API_URL` says
 *   otherwise (tests point it at fleet, which then answers as Fly does).
 */
export type MachinesProviderKind = 'fleet' | 'fly';

export const MACHINES_PROVIDERS: readonly MachinesProviderKind[] = ['fleet', 'fly'];

/** The Fly Machines API's public address, the default `HANGAR_MACHINES_API_URL` of the `fly` provider. */
export const FLY_MACHINES_API_URL = 'https://api.machines.dev';
/** Fly's GraphQL endpoint, the default `HANGAR_FLY_API_URL`. */
export const FLY_GRAPHQL_URL = 'https://api.fly.io/graphql';
/** The org `apps create` puts the provider app in on fleet, when neither `--org` nor `HANGAR_FLY_ORG` names one. */
export const FLEET_DEFAULT_ORG = 'personal';

/** The provider switch as every service reads it (DESIGN §7.4). */
export interface MachinesProvider {
  kind: MachinesProviderKind;
  /** `HANGAR_MACHINES_API_URL` without a trailing slash; default depends on `kind`. */
  machinesApiUrl: string;
  /** `HANGAR_FLY_API_URL` (default `https://api.fly.io/graphql`): Fly's GraphQL API; only meaningful with `fly`. */
  flyApiUrl: string;
  /**
   * `HANGAR_FLY_ORG`: the org slug `apps create` / `apps import` use when `--org` is not given. Unset:
   * `personal` on fleet; on `fly` the org must then be given per command.
   */
  defaultOrg?: string;
}

const ORG_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Parses `HANGAR_MACHINES_PROVIDER` (`fleet` | `fly`, default `fleet`), `HANGAR_MACHINES_API_URL`
 * (default `http://127.0.0.1:<fleetPort>` for fleet, `https://api.machines.dev` for fly),
 * `HANGAR_FLY_API_URL` and `HANGAR_FLY_ORG`. A bad value throws {@link EnvConfigError} naming the variable.
 */
export function readMachinesProvider(env: Env, fleetPort: number): MachinesProvider {
  const raw = (env.HANGAR_MACHINES_PROVIDER ?? '').trim();
  const kind = (raw === '' ? 'fleet' : raw) as MachinesProviderKind;
  if (!MACHINES_PROVIDERS.includes(kind)) {
    throw new EnvConfigError('HANGAR_MACHINES_PROVIDER', `must be fleet (the local fleet, default) or fly (Fly.io's Machines API); got "${raw}"`);
  }
  const machinesApiUrl = httpUrl(env, 'HANGAR_MACHINES_API_URL', kind === 'fly' ? FLY_MACHINES_API_URL : `http://127.0.0.1:${fleetPort}`);
  const flyApiUrl = httpUrl(env, 'HANGAR_FLY_API_URL', FLY_GRAPHQL_URL);
  const org = (env.HANGAR_FLY_ORG ?? '').trim();
  if (org !== '' && !ORG_SLUG.test(org)) {
    throw new EnvConfigError('HANGAR_FLY_ORG', `must be an organization slug such as personal or acme-corp (lowercase letters, digits, '-'); got "${org}"`);
  }
  const defaultOrg = org !== '' ? org : kind === 'fleet' ? FLEET_DEFAULT_ORG : undefined;
  return { kind, machinesApiUrl, flyApiUrl, ...(defaultOrg ? { defaultOrg } : {}) };
}

/** Whether `slug` is a well-formed org slug (the same rule as `HANGAR_FLY_ORG`). */
export function isOrgSlug(slug: string): boolean {
  return ORG_SLUG.test(slug);
}

function httpUrl(env: Env, name: string, fallback: string): string {
  const value = env[name] === undefined || env[name] === '' ? fallback : env[name]!;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvConfigError(name, `must be a URL (http or https); got "${value}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new EnvConfigError(name, `must use http or https; got "${parsed.protocol}"`);
  if (parsed.username || parsed.password) throw new EnvConfigError(name, 'must not carry credentials: the token goes in HANGAR_MACHINES_API_TOKEN');
  return value.replace(/\/+$/, '');
}
