import type { Queryable } from '../database/queryable';

export interface FleetApp {
  name: string;
  orgSlug: string;
  createdAt: number;
}

interface AppRow {
  name: string;
  org_slug: string;
  created_at: Date;
}

const toApp = (row: AppRow): FleetApp => ({ name: row.name, orgSlug: row.org_slug, createdAt: row.created_at.getTime() });

/** Inserts the app; null when it already exists. */
export async function insertApp(db: Queryable, name: string, orgSlug: string): Promise<FleetApp | null> {
  const { rows } = await db.query<AppRow>(
    `INSERT INTO fleet.apps (name, org_slug) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING *`,
    [name, orgSlug],
  );
  return rows[0] ? toApp(rows[0]) : null;
}

export async function findApp(db: Queryable, name: string): Promise<FleetApp | null> {
  const { rows } = await db.query<AppRow>(`SELECT * FROM fleet.apps WHERE name = $1`, [name]);
  return rows[0] ? toApp(rows[0]) : null;
}

export async function listApps(db: Queryable): Promise<FleetApp[]> {
  const { rows } = await db.query<AppRow>(`SELECT * FROM fleet.apps ORDER BY name`);
  return rows.map(toApp);
}
