/**
 * Which repositories of which registry a `registry:push:<target>` token may report pushes for
 * (review H4). Shared by the scope checks (`scopes.ts`) and builder, so a push is matched on the
 * same normalised name it is recorded under.
 */

/** A registry host as `docker pull` takes it, lower-case: a DNS name or IPv4 address, or a bracketed IPv6 one, and an optional port. */
export const REGISTRY_HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** A repository without its host, as the OCI distribution spec names it: lower-case path components separated by `/`. */
export const REPOSITORY_NAME_PATTERN = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/** `docker.io`: what `docker pull` calls Docker Hub, and the only name Hangar records it under. */
export const DOCKER_HUB_HOST = 'docker.io';
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `host/repository` of a push as it is recorded. */
export interface PushedImageName {
  readonly host: string;
  readonly repository: string;
}

/**
 * `host` and `repository` normalised as builder records a push (lower-case; Docker Hub's aliases are
 * `docker.io`, its one-component names are under `library/`). Does not validate: a name that is not
 * valid stays invalid and is refused where it is recorded.
 */
export function canonicalImageName(host: string, repository: string): PushedImageName {
  const lowerHost = host.trim().toLowerCase();
  const canonicalHost = DOCKER_HUB_ALIASES.has(lowerHost) ? DOCKER_HUB_HOST : lowerHost;
  const repo = repository.toLowerCase();
  return { host: canonicalHost, repository: canonicalHost === DOCKER_HUB_HOST && repo !== '' && !repo.includes('/') ? `library/${repo}` : repo };
}

/**
 * `ghcr.io/acme/web` (that repository), `ghcr.io/acme/*` (every repository under `acme/`, not `acme`
 * itself) or `ghcr.io/*` (every repository of the host).
 */
export interface RepositoryTarget {
  readonly host: string;
  /** The repository; with `under`, the prefix (`''`: the whole host). */
  readonly repository: string;
  readonly under: boolean;
}

/**
 * Parses a target as a scope writes it, in its canonical form only (so `tokens list` shows what is
 * matched): `{ target }`, or `{ problem }` naming what is wrong with it.
 */
export function parseRepositoryTarget(text: string): { target: RepositoryTarget } | { problem: string } {
  const invalid = (why: string) => ({ problem: `target '${text}' ${why}` });
  const slash = text.indexOf('/');
  if (slash <= 0) return invalid('must be <host>/<repository>, <host>/<prefix>/* or <host>/*');
  const host = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  if (!REGISTRY_HOST_PATTERN.test(host)) return invalid(`has no valid registry host: '${host}' must be a lower-case host[:port] such as ghcr.io`);
  if (DOCKER_HUB_ALIASES.has(host)) return invalid(`names Docker Hub as '${host}': write ${DOCKER_HUB_HOST}`);
  const under = rest === '*' || rest.endsWith('/*');
  const repository = rest === '*' ? '' : under ? rest.slice(0, -2) : rest;
  if (repository === '' && !under) return invalid('names no repository: add one, or /* for every repository of the host');
  if (repository !== '' && (repository.length > 255 || !REPOSITORY_NAME_PATTERN.test(repository))) {
    return invalid(`has no valid repository: '${repository}' must be lower-case path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/' (a trailing /* for every repository under it)`);
  }
  if (host === DOCKER_HUB_HOST && !under && !repository.includes('/')) return invalid(`names a Docker Hub official image: write ${DOCKER_HUB_HOST}/library/${repository}`);
  return { target: { host, repository, under } };
}

/** Whether a push of `host/repository` (normalised here as builder records it) is within `target`. */
export function targetCovers(target: RepositoryTarget, host: string, repository: string): boolean {
  const name = canonicalImageName(host, repository);
  if (name.host !== target.host) return false;
  if (!target.under) return name.repository === target.repository;
  return target.repository === '' || name.repository.startsWith(`${target.repository}/`);
}
