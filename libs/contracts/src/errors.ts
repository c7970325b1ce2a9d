/** The error body every transport returns: `{ error: { code, message, details } }` (DESIGN §4, §7.2). */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * A failure with a stable `AREA.RULE` code. Thrown by domain and adapters alike, mapped to HTTP or
 * RPC at one boundary per transport; never an HttpException outside a controller.
 */
export class HangarError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HangarError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Codes shared across services. Area-specific codes live with their area. */
export const ErrorCodes = {
  VALIDATION: 'REQUEST.INVALID',
  NOT_FOUND: 'REQUEST.NOT_FOUND',
  UNAUTHORIZED: 'AUTH.UNAUTHORIZED',
  FORBIDDEN: 'AUTH.FORBIDDEN',
  INTERNAL: 'INTERNAL.ERROR',
  TIMEOUT: 'TRANSPORT.TIMEOUT',
  UNAVAILABLE: 'TRANSPORT.UNAVAILABLE',
  APP_NOT_FOUND: 'RELEASE.APP_NOT_FOUND',
  APP_EXISTS: 'RELEASE.APP_EXISTS',
  /** A release of the app is running or queued, and the request needs it idle (`apps destroy`). */
  APP_BUSY: 'RELEASE.APP_BUSY',
  RELEASE_NOT_FOUND: 'RELEASE.NOT_FOUND',
  CONFIG_INVALID: 'CONFIG.INVALID',
  NO_RELEASE: 'RELEASE.NO_RELEASE',
  MACHINE_NOT_FOUND: 'MACHINE.NOT_FOUND',
  MACHINES_API: 'MACHINE.API_ERROR',
} as const;
