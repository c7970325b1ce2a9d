import { WebhookPayloadError } from './webhook-delivery';

/**
 * A repository name as the OCI distribution spec defines it (path components separated by `/`, each
 * `[a-z0-9]+` joined by `.`, `_`, `__` or dashes). Wider than a single `[._-]` separator on purpose:
 * `my__app` and `my--app` are valid names registries accept.
 */
export const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** A registry host as `docker pull` takes it: a DNS name or IPv4 address, or a bracketed IPv6 one, and an optional port. */
const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
const MAX_REPOSITORY_LENGTH = 255;

/** Names the Docker Hub registry goes by; `docker pull` calls it `docker.io`. */
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** How much of a payload-supplied value an error message or ignore reason quotes. */
const QUOTE_LIMIT = 120;

/** `value` cut short: payload values end up in error messages and recorded ignore reasons. */
export function clip(value: string): string {
  return value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
}

/** A payload value, cut short and JSON-quoted, for error messages. */
export function quote(value: string): string {
  return JSON.stringify(clip(value));
}

export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? 'docker.io' : lower;
}

/** The registry host of `value` at `path`, normalised; an error naming `path` when it is not one. */
export function hostAt(value: string, path: string): string {
  const host = normalizeHost(value);
  if (!HOST_PATTERN.test(host)) throw new WebhookPayloadError(path, `${path} ${quote(value)} is not a registry host`);
  return host;
}

/** The repository of `value` at `path`, lower-cased; an error naming `path` when it is not a valid name. */
export function repositoryAt(value: string, path: string): string {
  const repository = value.toLowerCase();
  if (repository.length > MAX_REPOSITORY_LENGTH || !REPOSITORY_PATTERN.test(repository)) {
    throw new WebhookPayloadError(path, `${path} ${quote(value)} is not a valid repository name`);
  }
  return repository;
}

export function tagAt(value: string, path: string): string {
  if (!TAG_PATTERN.test(value)) throw new WebhookPayloadError(path, `${path} ${quote(value)} is not a valid tag`);
  return value;
}

export function digestAt(value: string, path: string): string {
  const digest = value.toLowerCase();
  if (!DIGEST_PATTERN.test(digest)) throw new WebhookPayloadError(path, `${path} ${quote(value)} is not a sha256 digest (sha256:<64 hex>)`);
  return digest;
}

/** Whether a tag field actually holds a digest (Harbor's and JFrog's way of saying "pushed by digest"). */
export function looksLikeDigest(tag: string): boolean {
  return /^sha256(?::|__)[0-9a-f]{64}$/i.test(tag);
}

/** The host of an absolute URL (`http://127.0.0.1:5000/v2/…` → `127.0.0.1:5000`), if it is one. */
export function hostOfUrl(url: string): string | undefined {
  try {
    const host = new URL(url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

/** The text before the first `/` of a reference or URL-ish value, after any `scheme://`. */
export function hostPrefix(value: string): string {
  const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  return slash === -1 ? withoutScheme : withoutScheme.slice(0, slash);
}

export interface ImageReference {
  readonly host: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Splits a full reference `host/path[:tag][@digest]` (as Artifact Registry sends them) without
 * validating its parts; `undefined` when it has no host part.
 */
export function splitReference(reference: string): ImageReference | undefined {
  const slash = reference.indexOf('/');
  if (slash <= 0) return undefined;
  const host = reference.slice(0, slash);
  let rest = reference.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { host, repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
