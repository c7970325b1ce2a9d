import { Inject, Injectable } from '@nestjs/common';
import type { Machine, MachineState } from '@hangar/machines-api';
import type { Pool } from 'pg';
import { findApp } from '../apps/app.repository';
import { FLEET_POOL } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import { advance, nextTransitionAt } from './domain/machine-sim';
import { toWireEvent } from './domain/machine-view';
import type { SimMachine } from './domain/sim.types';
import { allMachineIds, appEvents, findMachinesByIds, listActiveMachines } from './machine.repository';
import { MachineStore } from './machine-store';
import { MachineWaiter } from './machine-waiter';

/** Longest a held wait sleeps before re-reading the machine: bounds the delay for writes made by another fleet process. */
const RECHECK_MS = 250;

/** One entry of `GET /fleet/v1/apps/:app/timeline`. */
export interface TimelineEntry {
  machine_id: string;
  instance_id: string;
  type: string;
  status: string;
  source: string;
  /** ms since the epoch. */
  timestamp: number;
  request?: Record<string, unknown>;
}

/** The read side of the Machines API, evaluated at now without writing. */
@Injectable()
export class MachineQueriesService {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    private readonly store: MachineStore,
    private readonly waiter: MachineWaiter,
  ) {}

  /** The app's machines that are not destroyed, by id. */
  async list(app: string): Promise<Machine[]> {
    await this.assertApp(app);
    const now = this.store.now();
    const results = (await listActiveMachines(this.pool, app)).map((m) => advance(m, now)).filter((r) => r.machine.state !== 'destroyed');
    return this.store.views(results);
  }

  /** One machine; a destroyed one is still returned, with state `destroyed`. */
  async get(app: string, id: string): Promise<Machine> {
    return this.store.view(await this.store.load(app, id));
  }

  async metadata(app: string, id: string): Promise<Record<string, string>> {
    return (await this.store.load(app, id)).machine.config.metadata ?? {};
  }

  async logs(app: string, id: string): Promise<string[]> {
    return (await this.store.load(app, id)).machine.logs;
  }

  /**
   * Holds until the machine is in `state` (and has `instanceId` when given) → resolves; throws
   * `FLEET.WAIT_TIMEOUT` after `timeoutSec`. A machine that exits instead of starting is not an
   * early answer: callers see that with a GET. Waiting on a destroyed machine for any other state
   * is 404 at once, as it can never get there. `stopped` is also satisfied by `created` (never launched).
   */
  async wait(app: string, id: string, state: MachineState, instanceId: string | undefined, timeoutSec: number): Promise<void> {
    const deadline = this.store.now() + timeoutSec * 1000;
    for (;;) {
      const { machine } = await this.store.load(app, id);
      if (reached(machine, state, instanceId)) return;
      if (machine.state === 'destroyed') throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} not found (destroyed)`);
      const now = this.store.now();
      if (now >= deadline) {
        const which = instanceId === undefined ? '' : ` with instance ${instanceId}`;
        throw fleetError(
          FleetErrorCodes.WAIT_TIMEOUT,
          `deadline_exceeded: machine ${id} did not reach state ${state}${which} within ${timeoutSec}s (state ${machine.state}, instance ${machine.instanceId})`,
        );
      }
      const next = nextTransitionAt(machine);
      const sleep = Math.min(deadline - now, RECHECK_MS, next === null ? RECHECK_MS : Math.max(1, next - now));
      if ((await this.waiter.waitForChange(id, sleep)) === 'closed') {
        throw fleetError(FleetErrorCodes.UNAVAILABLE, 'fleet is shutting down');
      }
    }
  }

  /** Every event of every machine the app ever had (or of one machine), oldest first, including what time produced since the last write. */
  async timeline(app: string, machineId?: string): Promise<TimelineEntry[]> {
    await this.assertApp(app);
    const ids = machineId ? [machineId] : await allMachineIds(this.pool, app);
    const [stored, machines] = await Promise.all([appEvents(this.pool, app, machineId), findMachinesByIds(this.pool, ids)]);
    const now = this.store.now();
    const entries = stored.map((e) => ({ seq: e.seq, entry: toEntry(e.machineId, toWireEvent(e)) }));
    for (const m of machines.filter((x: SimMachine) => x.app === app)) {
      for (const e of advance(m, now).events) entries.push({ seq: Number.MAX_SAFE_INTEGER, entry: toEntry(m.id, toWireEvent(e)) });
    }
    entries.sort((a, b) => a.entry.timestamp - b.entry.timestamp || a.seq - b.seq);
    return entries.map((e) => e.entry);
  }

  private async assertApp(app: string): Promise<void> {
    if (!(await findApp(this.pool, app))) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${app} not found`);
  }
}

function reached(machine: SimMachine, state: MachineState, instanceId: string | undefined): boolean {
  const stateOk = machine.state === state || (state === 'stopped' && machine.state === 'created');
  return stateOk && (instanceId === undefined || state === 'destroyed' || machine.instanceId === instanceId);
}

function toEntry(machineId: string, e: ReturnType<typeof toWireEvent>): TimelineEntry {
  const { instance_id, ...request } = e.request ?? {};
  return {
    machine_id: machineId,
    instance_id: String(instance_id),
    type: e.type,
    status: e.status,
    source: e.source,
    timestamp: e.timestamp,
    ...(Object.keys(request).length > 0 ? { request } : {}),
  };
}
