import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { withTransaction } from '../database/fleet-database';
import { FLEET_IDS, FLEET_POOL, type FleetIds } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import { LEASE_OWNER, acquireLease, activeLease, assertMayRelease, leaseBody } from './domain/lease';
import { effectiveState } from './domain/machine-sim';
import { deleteLease, findLease, findMachine, saveLease } from './machine.repository';
import { MachineStore } from './machine-store';

type LeaseBody = ReturnType<typeof leaseBody>;

/** Default lease TTL when the caller gives none, seconds. */
const DEFAULT_TTL_SEC = 30;

/** Machine leases (reference §2): one unexpired lease per machine, identified by its nonce. */
@Injectable()
export class LeaseService {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    @Inject(FLEET_IDS) private readonly ids: FleetIds,
    private readonly store: MachineStore,
  ) {}

  /** Acquire, or refresh when `nonce` names the current lease; 409 while someone else holds it. */
  async acquire(app: string, id: string, opts: { ttlSec?: number; description?: string; nonce?: string }): Promise<LeaseBody> {
    return withTransaction(this.pool, async (tx) => {
      const machine = await findMachine(tx, app, id, true);
      const now = this.store.now();
      if (!machine || effectiveState(machine, now) === 'destroyed') throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} not found`);
      const lease = acquireLease(await findLease(tx, id), {
        machineId: id,
        nonce: opts.nonce,
        ttlSec: opts.ttlSec ?? DEFAULT_TTL_SEC,
        owner: LEASE_OWNER,
        description: opts.description ?? '',
        now,
        newNonce: this.ids.leaseNonce(),
        newVersion: this.ids.leaseVersion(),
      });
      await saveLease(tx, lease);
      return leaseBody(lease);
    });
  }

  /** Releases with the lease's nonce; a lease that is gone (or expired) is released already. */
  async release(app: string, id: string, nonce: string | undefined): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      if (!(await findMachine(tx, app, id, true))) throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} not found`);
      assertMayRelease(await findLease(tx, id), nonce, this.store.now());
      await deleteLease(tx, id);
    });
  }

  async get(app: string, id: string): Promise<LeaseBody> {
    if (!(await findMachine(this.pool, app, id))) throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} not found`);
    const lease = activeLease(await findLease(this.pool, id), this.store.now());
    if (!lease) throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} has no lease`);
    return leaseBody(lease);
  }
}
