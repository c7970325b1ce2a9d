import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FLEET_POOL } from '../fleet.tokens';
import { openFleetDatabase } from './fleet-database';

/** The pool, opened after the database and schema are ready (so the app fails to create, not to serve, when Postgres is down). */
export const fleetPoolProvider: Provider = {
  provide: FLEET_POOL,
  inject: [FLEET_CONFIG],
  useFactory: (config: FleetConfig) => openFleetDatabase(config.databaseUrl, config.poolSize),
};

/** Closes the pool last, after the HTTP server stopped and held waits were let go. */
@Injectable()
export class FleetPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(FLEET_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
