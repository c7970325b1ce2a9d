import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { FLEET_CLOCK, FLEET_IDS, FLEET_POOL, type FleetClock, type FleetIds } from '../fleet.tokens';
import type { Fault, FaultEffect, FaultMatch } from '../machines/domain/sim.types';
import { deleteFaults, insertFault, listAllFaults } from './fault.repository';

export interface NewFault {
  match: FaultMatch;
  effect: FaultEffect;
  delayMs?: number;
  times?: number;
  code?: number;
  logs?: string[] | string;
}

/** The wire shape of a fault in the admin API (camelCase: it is fleet's own API, not Fly's). */
export interface FaultView {
  id: string;
  match: FaultMatch;
  effect: FaultEffect;
  delayMs: number;
  /** Machines it may still hit; absent = unlimited. */
  remaining?: number;
  code?: number;
  logs: string[];
  createdAt: string;
}

/** Fleet's fault-injection admin API: faults are matched when a machine boots or is updated (machine-commands.service). */
@Injectable()
export class FaultsService {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    @Inject(FLEET_CLOCK) private readonly clock: FleetClock,
    @Inject(FLEET_IDS) private readonly ids: FleetIds,
  ) {}

  async add(input: NewFault): Promise<{ id: string }> {
    const fault: Fault = {
      id: this.ids.faultId(),
      match: input.match,
      effect: input.effect,
      delayMs: input.delayMs ?? 0,
      remaining: input.times ?? null,
      code: input.code ?? null,
      logs: typeof input.logs === 'string' ? input.logs.split('\n') : (input.logs ?? []),
      createdAt: this.clock.now(),
    };
    await insertFault(this.pool, fault);
    return { id: fault.id };
  }

  async list(): Promise<FaultView[]> {
    return (await listAllFaults(this.pool)).map(toView);
  }

  /** Removes one fault, or all when `id` is omitted; returns how many went. */
  async clear(id?: string): Promise<number> {
    return deleteFaults(this.pool, id);
  }
}

function toView(f: Fault): FaultView {
  return {
    id: f.id,
    match: f.match,
    effect: f.effect,
    delayMs: f.delayMs,
    ...(f.remaining === null ? {} : { remaining: f.remaining }),
    ...(f.code === null ? {} : { code: f.code }),
    logs: f.logs,
    createdAt: new Date(f.createdAt).toISOString(),
  };
}
