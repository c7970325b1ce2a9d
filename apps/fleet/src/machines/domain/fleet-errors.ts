import { HangarError } from '@hangar/contracts';

/**
 * Codes of fleet's own failures. The HTTP boundary turns each into the status the Fly Machines API
 * would answer with and a Fly-style `{ error }` body (FleetExceptionFilter).
 */
export const FleetErrorCodes = {
  INVALID: 'FLEET.INVALID',
  UNAUTHORIZED: 'FLEET.UNAUTHORIZED',
  FORBIDDEN: 'FLEET.FORBIDDEN',
  NOT_FOUND: 'FLEET.NOT_FOUND',
  WAIT_TIMEOUT: 'FLEET.WAIT_TIMEOUT',
  LEASE_HELD: 'FLEET.LEASE_HELD',
  CONFLICT: 'FLEET.CONFLICT',
  PRECONDITION: 'FLEET.PRECONDITION',
  UNPROCESSABLE: 'FLEET.UNPROCESSABLE',
  FAULT_INJECTED: 'FLEET.FAULT_INJECTED',
  UNAVAILABLE: 'FLEET.UNAVAILABLE',
  RATE_LIMITED: 'FLEET.RATE_LIMITED',
} as const;

export type FleetErrorCode = (typeof FleetErrorCodes)[keyof typeof FleetErrorCodes];

export function fleetError(code: FleetErrorCode, message: string, details?: unknown): HangarError {
  return new HangarError(code, message, details);
}
