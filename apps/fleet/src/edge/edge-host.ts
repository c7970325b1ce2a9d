import { APP_NAME_PATTERN } from '@hangar/contracts';

/** The suffix the edge routes on: `<app>.localhost`, as `fly` routes `<app>.fly.dev`. */
export const EDGE_HOST_SUFFIX = '.localhost';

/**
 * The app a request is for, from its Host header: `<app>.localhost` with or without `:port`, any case
 * (host names are case-insensitive; app names are lower case). Undefined for anything else.
 */
export function appFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.trim().toLowerCase().replace(/:\d{1,5}$/, '').replace(/\.$/, '');
  if (!name.endsWith(EDGE_HOST_SUFFIX)) return undefined;
  const app = name.slice(0, -EDGE_HOST_SUFFIX.length);
  return APP_NAME_PATTERN.test(app) ? app : undefined;
}
