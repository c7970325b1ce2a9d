import { HangarError } from '@hangar/contracts';
import { ImageErrorCodes } from './image-errors';

/**
 * A parsed image reference, normalised the way docker does (distribution/reference
 * `ParseNormalizedNamed`): `nginx` is `docker.io/library/nginx:latest`.
 */
export interface ImageReference {
  /** The registry as written, normalised: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  readonly registry: string;
  /** The host the distribution API is spoken to: `registry-1.docker.io` for `docker.io`. */
  readonly host: string;
  /** `library/nginx`, `org/app`. */
  readonly repository: string;
  /** `latest` when the reference names neither a tag nor a digest. */
  readonly tag?: string;
  readonly digest?: string;
  /** `host/repository:tag`, `host/repository@digest` or `host/repository:tag@digest`. */
  readonly canonical: string;
}

export const DOCKER_HUB_REGISTRY = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** Other names of Docker Hub that references may use; normalised to `docker.io`. */
export const LEGACY_DOCKER_HUB_NAMES: ReadonlySet<string> = new Set(['index.docker.io', 'registry-1.docker.io']);
const DEFAULT_TAG = 'latest';
const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** A repository (no host): lower-case path components joined by `.`, `_`, `__` or `-`, separated by `/`. */
export const REPOSITORY_PATTERN = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const REGISTRY_PATTERN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
const IMAGE_ID_LIKE = /^[a-f0-9]{64}$/;

/** Only the algorithms the OCI image spec registers, with their exact lower-case hex lengths. */
const DIGEST_HEX_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/**
 * Why `digest` is not a usable content digest (`sha256:<64 lower-case hex>` or
 * `sha512:<128 lower-case hex>`), or undefined when it is.
 */
export function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return `digest '${digest}' must be '<algorithm>:<hex>'`;
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTHS[algorithm];
  if (length === undefined) return `digest algorithm '${algorithm}' is not supported (use sha256 or sha512)`;
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
    return `${algorithm} digest must be ${length} lower-case hex characters`;
  }
  return undefined;
}

/**
 * Parses and normalises an image reference; throws `IMAGE.INVALID_REFERENCE` naming the reference
 * and the rule it breaks.
 */
export function parseImageReference(ref: string): ImageReference {
  const invalid = (reason: string): HangarError =>
    new HangarError(ImageErrorCodes.INVALID_REFERENCE, `invalid image reference '${ref}': ${reason}`, { ref, reason });

  if (ref.length === 0) throw invalid('reference is empty');
  if (/\s/.test(ref)) throw invalid('reference contains whitespace');

  const at = ref.indexOf('@');
  const namePart = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) throw invalid(problem);
  }

  // A colon after the last slash starts the tag; one before it belongs to the registry's port.
  const lastColon = namePart.lastIndexOf(':');
  const hasTag = lastColon > namePart.lastIndexOf('/');
  const name = hasTag ? namePart.slice(0, lastColon) : namePart;
  const explicitTag = hasTag ? namePart.slice(lastColon + 1) : undefined;

  if (name.length === 0) throw invalid('repository name is empty');
  if (explicitTag !== undefined && !TAG_PATTERN.test(explicitTag)) {
    throw invalid(`tag '${explicitTag}' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }
  if (IMAGE_ID_LIKE.test(name)) throw invalid('a 64-character hex string is an image id, not a repository name');

  const { registry, remainder } = splitRegistry(name);
  if (!REGISTRY_PATTERN.test(registry)) throw invalid(`registry '${registry}' is not a valid host[:port]`);
  if (remainder !== remainder.toLowerCase()) throw invalid('repository name must be lowercase');
  const repository = registry === DOCKER_HUB_REGISTRY && !remainder.includes('/') ? `library/${remainder}` : remainder;
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw invalid(`repository '${repository}' must be lower-case path components of [a-z0-9] joined by '.', '_', '__' or '-'`);
  }
  if (`${registry}/${repository}`.length > MAX_NAME_LENGTH) throw invalid(`name is longer than ${MAX_NAME_LENGTH} characters`);

  const tag = explicitTag ?? (digest === undefined ? DEFAULT_TAG : undefined);
  const host = registry === DOCKER_HUB_REGISTRY ? DOCKER_HUB_API_HOST : registry;
  const canonical = `${host}/${repository}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
  return {
    registry,
    host,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
    canonical,
  };
}

/** The tag or digest a manifest request names; a digest wins, as docker ignores the tag then. */
export function manifestReference(image: ImageReference): string {
  return image.digest ?? image.tag ?? DEFAULT_TAG;
}

/**
 * docker's `splitDockerDomain`: the first component is a registry only when it looks like a host
 * (has a `.` or `:`, is `localhost`, or has upper-case letters, which repositories never do).
 */
function splitRegistry(name: string): { registry: string; remainder: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const looksLikeHost = first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
  if (slash === -1 || !looksLikeHost) return { registry: DOCKER_HUB_REGISTRY, remainder: name };
  const registry = LEGACY_DOCKER_HUB_NAMES.has(first) ? DOCKER_HUB_REGISTRY : first;
  return { registry, remainder: name.slice(slash + 1) };
}
