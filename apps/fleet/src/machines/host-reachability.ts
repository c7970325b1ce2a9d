import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { listLiveFaults } from '../faults/fault.repository';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FLEET_POOL } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import type { Fault, SimMachine } from './domain/sim.types';
import { isOnUnreachableHost } from './domain/unreachable-host';
import { findMachine } from './machine.repository';

/** Which machines' hosts a `host-unreachable` fault has put out of reach (none unless faults are on). */
@Injectable()
export class HostReachability {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
  ) {}

  async unreachableOf(machines: readonly Pick<SimMachine, 'app' | 'id' | 'config'>[]): Promise<Set<string>> {
    const faults = await this.faults();
    return new Set(machines.filter((m) => isOnUnreachableHost(faults, m)).map((m) => m.id));
  }

  /** Refuses (503) any call on a machine whose host is unreachable: nothing can reach it to carry it out. */
  async assertReachable(app: string, id: string): Promise<void> {
    const faults = await this.faults();
    if (faults.length === 0) return;
    const machine = await findMachine(this.pool, app, id);
    if (machine && isOnUnreachableHost(faults, machine)) {
      throw fleetError(FleetErrorCodes.UNAVAILABLE, `machine ${id}: its host is unreachable; try again later`);
    }
  }

  private async faults(): Promise<Fault[]> {
    if (!this.config.faults) return [];
    return (await listLiveFaults(this.pool)).filter((f) => f.effect === 'host-unreachable');
  }
}

/** Every call on one machine but reading it (`GET …/machines/:id`) goes through {@link HostReachability.assertReachable}. */
@Injectable()
export class HostReachabilityGuard implements CanActivate {
  constructor(private readonly hosts: HostReachability) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const { app, id } = (request.params ?? {}) as Record<string, string | undefined>;
    if (typeof app !== 'string' || typeof id !== 'string' || !request.path.startsWith('/v1/')) return true;
    const readOnly = request.method === 'GET' && /\/machines\/[^/]+\/?$/.test(request.path);
    if (!readOnly) await this.hosts.assertReachable(app, id);
    return true;
  }
}
