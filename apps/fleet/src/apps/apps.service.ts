import { Inject, Injectable } from '@nestjs/common';
import { APP_NAME_PATTERN } from '@hangar/contracts';
import type { Pool } from 'pg';
import { FLEET_POOL } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';
import { findApp, insertApp, listApps, type FleetApp } from './app.repository';

/** Fly's app body (the subset fleet knows). */
export interface AppView {
  id: string;
  name: string;
  status: string;
  organization: { slug: string };
  created_at: string;
}

/** Apps: machines and volumes only exist inside an app created first, as on Fly. */
@Injectable()
export class AppsService {
  constructor(@Inject(FLEET_POOL) private readonly pool: Pool) {}

  /** 409 "already exists" for a taken name. */
  async create(name: string, orgSlug: string): Promise<AppView> {
    if (!APP_NAME_PATTERN.test(name)) throw fleetError(FleetErrorCodes.INVALID, `app_name must match ${APP_NAME_PATTERN.source}; got "${name}"`);
    const app = await insertApp(this.pool, name, orgSlug);
    if (!app) throw fleetError(FleetErrorCodes.CONFLICT, `app ${name} already exists`);
    return toView(app);
  }

  async get(name: string): Promise<AppView> {
    const app = await findApp(this.pool, name);
    if (!app) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${name} not found`);
    return toView(app);
  }

  async list(): Promise<{ total_apps: number; apps: AppView[] }> {
    const apps = (await listApps(this.pool)).map(toView);
    return { total_apps: apps.length, apps };
  }
}

function toView(app: FleetApp): AppView {
  return { id: app.name, name: app.name, status: 'deployed', organization: { slug: app.orgSlug }, created_at: new Date(app.createdAt).toISOString() };
}
