import { Inject, Injectable } from '@nestjs/common';
import type { Machine } from '@hangar/machines-api';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../database/fleet-database';
import { FLEET_CLOCK, FLEET_POOL, type FleetClock } from '../fleet.tokens';
import { detachVolumesOf } from '../volumes/volume.repository';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import { assertMayMutate } from './domain/lease';
import { advance } from './domain/machine-sim';
import { MACHINE_EVENTS_LIMIT, toWireMachine } from './domain/machine-view';
import { MachineObservations } from '../runtime/machine-observations';
import type { SimMachine, SimResult } from './domain/sim.types';
import { deleteLease, findLease, findMachine, insertEvents, recentEvents, saveMachine } from './machine.repository';
import { MachineWaiter } from './machine-waiter';
import { HostReachability } from './host-reachability';
import { unreachableView } from './domain/unreachable-host';

/** What a mutation hands back: the machine after it, a value for the caller, or a failure to raise once the transaction committed. */
export interface MutationOutcome<T> {
  result?: SimResult;
  value: T;
  failAfterCommit?: Error;
}

export interface MutationOptions {
  /** Enforce the machine's lease: the call must carry the unexpired lease's nonce. */
  checkLease: boolean;
  nonce?: string;
}

/**
 * Reads and writes machines with the simulator applied: a read evaluates the machine at "now"
 * without writing; a mutation locks the row, first persists what time did to it, then applies the
 * operation, and wakes waiters after commit.
 */
@Injectable()
export class MachineStore {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    @Inject(FLEET_CLOCK) private readonly clock: FleetClock,
    private readonly waiter: MachineWaiter,
    private readonly observations: MachineObservations,
    private readonly hosts: HostReachability,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /** The machine as it is now (with the events time produced, not yet persisted), or 404. */
  async load(app: string, id: string): Promise<SimResult> {
    const machine = await findMachine(this.pool, app, id);
    if (!machine) throw machineNotFound(id);
    return advance(machine, this.clock.now());
  }

  async mutate<T>(app: string, id: string, opts: MutationOptions, fn: (m: SimMachine, tx: PoolClient, now: number) => Promise<MutationOutcome<T>>): Promise<T> {
    const outcome = await withTransaction(this.pool, async (tx) => {
      const row = await findMachine(tx, app, id, true);
      if (!row) throw machineNotFound(id);
      const now = this.clock.now();
      if (opts.checkLease) assertMayMutate(await findLease(tx, id), opts.nonce, now);
      const timed = advance(row, now);
      const out = await fn(timed.machine, tx, now);
      const final = out.result?.machine ?? timed.machine;
      const events = [...timed.events, ...(out.result?.events ?? [])];
      if (events.length > 0 || out.result) {
        await saveMachine(tx, final);
        await insertEvents(tx, final, events);
      }
      if (final.state === 'destroyed' && row.state !== 'destroyed') {
        await detachVolumesOf(tx, id);
        await deleteLease(tx, id);
      }
      return out;
    });
    this.waiter.notify(id);
    if (outcome.failAfterCommit) throw outcome.failAfterCommit;
    return outcome.value;
  }

  /**
   * The API view of machines evaluated at now: the persisted recent events plus the ones time
   * produced since, newest first.
   */
  async views(results: readonly SimResult[], nonce?: string): Promise<Machine[]> {
    const stored = await recentEvents(this.pool, results.map((r) => r.machine.id), MACHINE_EVENTS_LIMIT);
    const unreachable = await this.hosts.unreachableOf(results.map((r) => r.machine));
    return results.map((r) => {
      const wire = toWireMachine(r.machine, [...[...r.events].reverse(), ...(stored.get(r.machine.id) ?? [])], nonce);
      if (unreachable.has(r.machine.id)) return unreachableView(wire);
      return r.machine.run?.external || this.observations.get(r.machine.id, r.machine.instanceId) ? this.observed(r.machine, wire) : wire;
    });
  }

  /**
   * A real container's machine (podman runtime): its checks as last run (critical unless started),
   * and its address on this host: `private_ip` 127.0.0.1 and `host_ports` (internal → host port).
   */
  private observed(machine: SimMachine, wire: Machine): Machine {
    const seen = this.observations.get(machine.id, machine.instanceId);
    const checks = (wire.checks ?? []).map((c) => {
      const real = seen?.checks.get(c.name);
      if (machine.state !== 'started') return { ...c, status: 'critical' as const, output: `machine is ${machine.state}` };
      return real ?? { ...c, status: 'critical' as const, output: 'waiting for the first check' };
    });
    return { ...wire, checks, private_ip: '127.0.0.1', ...(seen ? { host_ports: Object.fromEntries(Object.entries(seen.ports).map(([k, v]) => [k, v])) } : {}) };
  }

  async view(result: SimResult, nonce?: string): Promise<Machine> {
    return (await this.views([result], nonce))[0];
  }
}

export function machineNotFound(id: string): Error {
  return fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} not found`);
}
