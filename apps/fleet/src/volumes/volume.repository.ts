import type { Queryable } from '../database/queryable';

export interface FleetVolume {
  id: string;
  app: string;
  name: string;
  region: string;
  sizeGb: number;
  state: string;
  attachedMachineId: string | null;
  createdAt: number;
}

interface VolumeRow {
  id: string;
  app: string;
  name: string;
  region: string;
  size_gb: number;
  state: string;
  attached_machine_id: string | null;
  created_at: Date;
}

const toVolume = (row: VolumeRow): FleetVolume => ({
  id: row.id,
  app: row.app,
  name: row.name,
  region: row.region,
  sizeGb: row.size_gb,
  state: row.state,
  attachedMachineId: row.attached_machine_id,
  createdAt: row.created_at.getTime(),
});

export async function insertVolume(db: Queryable, v: FleetVolume): Promise<void> {
  await db.query(
    `INSERT INTO fleet.volumes (id, app, name, region, size_gb, state, attached_machine_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [v.id, v.app, v.name, v.region, v.sizeGb, v.state, v.attachedMachineId, new Date(v.createdAt)],
  );
}

/** The app's volumes that are not destroyed. */
export async function listVolumes(db: Queryable, app: string): Promise<FleetVolume[]> {
  const { rows } = await db.query<VolumeRow>(`SELECT * FROM fleet.volumes WHERE app = $1 AND state <> 'destroyed' ORDER BY created_at, id`, [app]);
  return rows.map(toVolume);
}

export async function findVolume(db: Queryable, app: string, id: string, forUpdate = false): Promise<FleetVolume | null> {
  const { rows } = await db.query<VolumeRow>(`SELECT * FROM fleet.volumes WHERE app = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [app, id]);
  return rows[0] ? toVolume(rows[0]) : null;
}

export async function findVolumeOfMachine(db: Queryable, machineId: string): Promise<FleetVolume | null> {
  const { rows } = await db.query<VolumeRow>(`SELECT * FROM fleet.volumes WHERE attached_machine_id = $1`, [machineId]);
  return rows[0] ? toVolume(rows[0]) : null;
}

export async function attachVolume(db: Queryable, volumeId: string, machineId: string | null): Promise<void> {
  await db.query(`UPDATE fleet.volumes SET attached_machine_id = $2 WHERE id = $1`, [volumeId, machineId]);
}

export async function detachVolumesOf(db: Queryable, machineId: string): Promise<void> {
  await db.query(`UPDATE fleet.volumes SET attached_machine_id = NULL WHERE attached_machine_id = $1`, [machineId]);
}

/** The volume is gone (its row stays, as a destroyed machine's does); it is attached to nothing. */
export async function markVolumeDestroyed(db: Queryable, volumeId: string): Promise<void> {
  await db.query(`UPDATE fleet.volumes SET state = 'destroyed', attached_machine_id = NULL WHERE id = $1`, [volumeId]);
}
