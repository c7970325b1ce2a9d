import { HangarError } from '@hangar/contracts';
import { ImageErrorCodes, type ImageErrorCode } from './domain/image-errors';
import { manifestReference, type ImageReference } from './domain/image-reference';
import { describeNetworkError } from './network-error';

/** What a failure names: the reference as requested, parsed, and the resolve's deadline (ms). */
export interface FailureContext {
  readonly ref: string;
  readonly image: ImageReference;
  readonly timeoutMs: number;
}

/** A resolution the builder refused to carry out (`IMAGE.ADDRESS_REFUSED`, `…REALM_REFUSED`, `…REDIRECT_REFUSED`, `…RESPONSE_TOO_LARGE`). */
export function refused(attempt: FailureContext, code: ImageErrorCode, reason: string, extra: Record<string, unknown>): HangarError {
  return new HangarError(code, `image '${attempt.ref}' could not be resolved: ${reason}`, details(attempt, extra));
}

export function statusError(attempt: FailureContext, status: number): HangarError {
  const { image, ref } = attempt;
  if (status === 404) {
    const what = image.digest ? `digest '${image.digest}'` : `tag '${image.tag ?? 'latest'}'`;
    return new HangarError(
      ImageErrorCodes.NOT_FOUND,
      `image '${ref}' not found: manifest unknown for ${what} in ${image.host}/${image.repository}`,
      details(attempt, { status }),
    );
  }
  if (status === 401 || status === 403) {
    // Docker Hub answers 401, not 404, for a repository that does not exist.
    return unauthorized(attempt, `${image.host} denied access to ${image.repository} (HTTP ${status}; it may not exist or need credentials)`);
  }
  return registryError(attempt, `${image.host} answered HTTP ${status}`, status);
}

export function unauthorized(attempt: FailureContext, reason: string): HangarError {
  return new HangarError(ImageErrorCodes.UNAUTHORIZED, `image '${attempt.ref}' unauthorized: ${reason}`, details(attempt, { reason }));
}

export function registryError(attempt: FailureContext, reason: string, status?: number): HangarError {
  return new HangarError(
    ImageErrorCodes.REGISTRY_ERROR,
    `image '${attempt.ref}' could not be resolved: ${reason}`,
    details(attempt, status === undefined ? { reason } : { reason, status }),
  );
}

export function unreachable(attempt: FailureContext, host: string, error: unknown): HangarError {
  const cause = describeNetworkError(error, attempt.timeoutMs);
  return new HangarError(
    ImageErrorCodes.REGISTRY_UNREACHABLE,
    `image '${attempt.ref}' could not be resolved: registry ${host} is unreachable: ${cause}`,
    details(attempt, { host, cause }),
    { cause: error },
  );
}

export function details(attempt: FailureContext, extra: Record<string, unknown>): Record<string, unknown> {
  const { image } = attempt;
  return { ref: attempt.ref, registry: image.host, repository: image.repository, reference: manifestReference(image), ...extra };
}
