import { canonicalImageName, ErrorCodes, HangarError } from '@hangar/contracts';
import { parseImageReference, REPOSITORY_PATTERN } from '../../image/domain/image-reference';

/** `host/repository` as a push or trigger names it, normalised as `docker pull` would. */
export interface ImageName {
  /** `docker.io`, `ghcr.io`, `127.0.0.1:5000`: the registry as written, never `registry-1.docker.io`. */
  readonly host: string;
  /** `library/nginx`, `acme/web`: lower-case, no host. */
  readonly repository: string;
}

/**
 * Normalises `HOST/REPO` (a trigger's `--image`; `nginx` is `docker.io/library/nginx`). A tag or
 * digest is refused: the trigger's tag policy says which tags deploy. `REQUEST.INVALID` naming `field`.
 */
export function parseTriggerImage(text: unknown, field = 'image'): ImageName {
  const invalid = (message: string) => new HangarError(ErrorCodes.VALIDATION, `${field}: ${message}`, [{ path: field, message }]);
  if (typeof text !== 'string' || text.trim() === '') throw invalid('must be HOST/REPOSITORY, e.g. ghcr.io/acme/web');
  if (text.includes('@') || /:[^/]*$/.test(text.slice(text.indexOf('/') + 1))) {
    throw invalid(`'${text}' names a tag or digest; give HOST/REPOSITORY and say which tags deploy with --tag-policy`);
  }
  return imageNameOf(text.toLowerCase(), invalid);
}

/** Normalises a push's `host` and `repository` (any case; Docker Hub's aliases are `docker.io`). */
export function normalizePushImage(host: string, repository: string): ImageName {
  const invalid = (path: string, message: string) => new HangarError(ErrorCodes.VALIDATION, `${path}: ${message}`, [{ path, message }]);
  const h = host.toLowerCase();
  if (!HOST_PATTERN.test(h)) throw invalid('host', `'${host}' must be a registry host[:port] such as ghcr.io`);
  const repo = repository.toLowerCase();
  if (!REPOSITORY_PATTERN.test(repo) || repo.length > 255) {
    throw invalid('repository', `'${repository}' must be path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'`);
  }
  // The one normalisation the `registry:push:<target>` check also applies (review H4).
  return canonicalImageName(h, repo);
}

const HOST_PATTERN = /^(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(?:\.(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*(?::[0-9]{1,5})?$/;

/** `host/repository`. */
export function imageText(name: ImageName): string {
  return `${name.host}/${name.repository}`;
}

function imageNameOf(text: string, invalid: (message: string) => HangarError): ImageName {
  try {
    const ref = parseImageReference(text);
    return { host: ref.registry, repository: ref.repository };
  } catch (error) {
    throw invalid(error instanceof HangarError ? error.message.replace(/^invalid image reference '[^']*': /, '') : String(error));
  }
}
