import { MachinesApiErrorCodes } from '@hangar/machines-api';

/**
 * Whether a failure while carrying out an operation leaves it undecided rather than failed:
 * - the machines API unreachable (status 0: refused, reset, timed out — an update may or may not have
 *   happened, which the next run finds out from the machine), overloaded (408, 429) or failing inside
 *   (5xx: its own database away, a crashed host — the answer says nothing about the machine);
 * - a lease someone else still holds (409 about a lease);
 * - anything that is not an answer of the machines API at all (the store, or this process's claim on
 *   the operation, gone).
 * Such an operation is run again later, so an outage or a crash never fails a release; the runner
 * bounds how long. A refusal (any other 4xx) is definitive, as is what the machine itself does
 * (exits, stays unhealthy, does not start in time), which the executor reports without throwing.
 */
export function isTransientFailure(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; status?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.name !== 'MachinesApiError') return true;
  if (e.code === MachinesApiErrorCodes.LEASE_HELD) return true;
  if (typeof e.status !== 'number') return true;
  return e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;
}
