import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, queryEvents } from '@hangar/event-store';
import { FLEET_EVENT_TYPES, fleetAt, type FleetEvent, type MachineAtTime } from './domain/fleet-at';

/** The fleet of an app at a past moment, folded from its machine events (`status --at`). */
@Injectable()
export class FleetHistory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async at(app: string, at: Date): Promise<MachineAtTime[]> {
    const events: FleetEvent[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await queryEvents(this.pool, { app, types: FLEET_EVENT_TYPES, until: at, limit: 1000, ...(after ? { after } : {}) });
      events.push(...page.events);
      if (page.next === null) return fleetAt(events, at);
      after = page.next;
    }
  }
}
