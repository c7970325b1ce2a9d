import { FleetErrorCodes, fleetError } from './fleet-errors';
import type { SimLease } from './sim.types';

/** Who holds the leases fleet hands out (the real API names the token's user). */
export const LEASE_OWNER = 'fleet-user';

/** The lease if it has not expired at `now`. */
export function activeLease(lease: SimLease | null, now: number): SimLease | null {
  return lease && lease.expiresAt > now ? lease : null;
}

function heldMessage(lease: SimLease): string {
  const what = lease.description ? ` (${lease.description})` : '';
  return `lease currently held by ${lease.owner}${what}, expires at ${new Date(lease.expiresAt).toISOString()}`;
}

/**
 * A mutating call on a leased machine must carry the lease's nonce; with no unexpired lease anyone
 * may mutate. Fleet answers a missing or wrong nonce with 409, as it does a held lease.
 */
export function assertMayMutate(lease: SimLease | null, nonce: string | undefined, now: number): void {
  const held = activeLease(lease, now);
  if (!held || held.nonce === nonce) return;
  const why = nonce === undefined ? 'no lease nonce was sent' : 'the lease nonce does not match';
  throw fleetError(FleetErrorCodes.LEASE_HELD, `machine ${held.machineId}: ${heldMessage(held)}; ${why}`);
}

export interface AcquireLeaseRequest {
  machineId: string;
  /** The `fly-machine-lease-nonce` header: present = refresh the lease it names. */
  nonce?: string;
  ttlSec: number;
  owner: string;
  description: string;
  now: number;
  newNonce: string;
  newVersion: string;
}

/**
 * Acquire (no unexpired lease), refresh (the nonce matches: same nonce, later expiry) or refuse
 * (someone else's lease: 409 "lease currently held by …").
 */
export function acquireLease(current: SimLease | null, req: AcquireLeaseRequest): SimLease {
  const held = activeLease(current, req.now);
  const expiresAt = req.now + req.ttlSec * 1000;
  if (held && held.nonce === req.nonce) return { ...held, expiresAt, version: req.newVersion };
  if (held) throw fleetError(FleetErrorCodes.LEASE_HELD, heldMessage(held));
  return {
    machineId: req.machineId,
    nonce: req.newNonce,
    owner: req.owner,
    description: req.description,
    version: req.newVersion,
    expiresAt,
  };
}

/** Releasing needs the nonce of the unexpired lease; releasing a lease that is gone is a no-op. */
export function assertMayRelease(current: SimLease | null, nonce: string | undefined, now: number): void {
  const held = activeLease(current, now);
  if (held && held.nonce !== nonce) {
    throw fleetError(FleetErrorCodes.LEASE_HELD, `cannot release: ${heldMessage(held)}; the lease nonce does not match`);
  }
}

/** Fly's lease body: `{ status, data: { nonce, expires_at (unix seconds), owner, version, description } }`. */
export function leaseBody(lease: SimLease): { status: 'success'; data: Record<string, unknown> } {
  return {
    status: 'success',
    data: {
      nonce: lease.nonce,
      expires_at: Math.floor(lease.expiresAt / 1000),
      owner: lease.owner,
      version: lease.version,
      description: lease.description,
    },
  };
}
