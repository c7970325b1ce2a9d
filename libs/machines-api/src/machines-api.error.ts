import { ErrorCodes, HangarError } from '@hangar/contracts';

/** Stable codes of {@link MachinesApiError}. */
export const MachinesApiErrorCodes = {
  /** Any failure without a more specific code, including transport errors (`status` 0). */
  API_ERROR: ErrorCodes.MACHINES_API,
  /** HTTP 404: no such app, machine, volume or lease. */
  NOT_FOUND: ErrorCodes.MACHINE_NOT_FOUND,
  /** HTTP 409 about a lease: someone else holds it, or the nonce sent does not match. */
  LEASE_HELD: 'MACHINE.LEASE_HELD',
  /** `wait` reached its own deadline before the machine reached the state. */
  WAIT_TIMEOUT: 'MACHINE.WAIT_TIMEOUT',
} as const;

export type MachinesApiErrorCode = (typeof MachinesApiErrorCodes)[keyof typeof MachinesApiErrorCodes];

/** Where a failed call went and what came back; `status` 0 means no HTTP response at all. */
export interface MachinesApiErrorDetails {
  method: string;
  path: string;
  status: number;
  /** The API's own error text (`{ error }` or `{ message }` of the body, or the raw body). */
  apiMessage?: string;
  attempts: number;
}

/** A failed Machines API call, with a stable code and the HTTP status (0 for transport errors). */
export class MachinesApiError extends HangarError {
  readonly status: number;

  constructor(code: MachinesApiErrorCode, message: string, details: MachinesApiErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'MachinesApiError';
    this.status = details.status;
  }

  /** The code an HTTP answer maps to: 404 → not found, 409 mentioning a lease → lease held. */
  static codeFor(status: number, apiMessage: string | undefined): MachinesApiErrorCode {
    if (status === 404) return MachinesApiErrorCodes.NOT_FOUND;
    if (status === 409 && /lease|nonce/i.test(apiMessage ?? '')) return MachinesApiErrorCodes.LEASE_HELD;
    return MachinesApiErrorCodes.API_ERROR;
  }
}
