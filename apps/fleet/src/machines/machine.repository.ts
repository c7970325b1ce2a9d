import type { MachineConfig, MachineState } from '@hangar/machines-api';
import type { Queryable } from '../database/queryable';
import { nextTransitionAt, pendingState } from './domain/machine-sim';
import type { RunProfile, SimEvent, SimLease, SimMachine } from './domain/sim.types';

/** SQL of fleet's machines, their events, leases and idempotency keys (schema `fleet`). */

interface MachineRow {
  id: string;
  app: string;
  name: string;
  region: string;
  state: MachineState;
  instance_id: string;
  config: MachineConfig;
  cordoned: boolean;
  run: RunProfile | null;
  logs: string[];
  state_entered_at: Date;
  created_at: Date;
  updated_at: Date;
}

interface EventRow {
  seq: string;
  machine_id: string;
  instance_id: string;
  type: SimEvent['type'];
  status: string;
  source: SimEvent['source'];
  at: Date;
  request: Record<string, unknown> | null;
}

/** A persisted event with where it belongs and its global order. */
export interface StoredSimEvent extends SimEvent {
  machineId: string;
  seq: number;
}

const COLUMNS = 'id, app, name, region, state, instance_id, config, cordoned, run, logs, state_entered_at, created_at, updated_at';

/** Fly's own event types, the only ones a machine lists in `events[]`. */
const FLY_EVENT_TYPES = ['launch', 'update', 'start', 'stop', 'exit', 'destroy'];

function toMachine(row: MachineRow): SimMachine {
  return {
    id: row.id,
    app: row.app,
    name: row.name,
    region: row.region,
    state: row.state,
    instanceId: row.instance_id,
    config: row.config,
    cordoned: row.cordoned,
    run: row.run,
    logs: row.logs,
    stateEnteredAt: row.state_entered_at.getTime(),
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

function toEvent(row: EventRow): StoredSimEvent {
  return {
    seq: Number(row.seq),
    machineId: row.machine_id,
    instanceId: row.instance_id,
    type: row.type,
    status: row.status,
    source: row.source,
    timestamp: row.at.getTime(),
    ...(row.request ? { request: row.request } : {}),
  };
}

export async function findMachine(db: Queryable, app: string, id: string, forUpdate = false): Promise<SimMachine | null> {
  const sql = `SELECT ${COLUMNS} FROM fleet.machines WHERE id = $1 AND app = $2${forUpdate ? ' FOR UPDATE' : ''}`;
  const { rows } = await db.query<MachineRow>(sql, [id, app]);
  return rows[0] ? toMachine(rows[0]) : null;
}

/** Machines not (yet) recorded as destroyed, by id. Uses the partial index on app. */
export async function listActiveMachines(db: Queryable, app: string): Promise<SimMachine[]> {
  const { rows } = await db.query<MachineRow>(`SELECT ${COLUMNS} FROM fleet.machines WHERE app = $1 AND state <> 'destroyed' ORDER BY id`, [app]);
  return rows.map(toMachine);
}

/** Every machine of every app not (yet) recorded as destroyed: what the podman runtime converges. */
export async function listAllActiveMachines(db: Queryable): Promise<SimMachine[]> {
  const { rows } = await db.query<MachineRow>(`SELECT ${COLUMNS} FROM fleet.machines WHERE state <> 'destroyed' ORDER BY id`);
  return rows.map(toMachine);
}

export async function findMachinesByIds(db: Queryable, ids: readonly string[]): Promise<SimMachine[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<MachineRow>(`SELECT ${COLUMNS} FROM fleet.machines WHERE id = ANY($1::text[])`, [ids]);
  return rows.map(toMachine);
}

export async function insertMachine(db: Queryable, m: SimMachine): Promise<void> {
  await db.query(
    `INSERT INTO fleet.machines (${COLUMNS}, pending_state, transition_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [m.id, m.app, m.name, m.region, m.state, m.instanceId, m.config, m.cordoned, jsonOrNull(m.run), JSON.stringify(m.logs), ...times(m), ...pending(m)],
  );
}

/** Writes every mutable column; `pending_state`/`transition_at` record the next automatic step for people reading the table. */
export async function saveMachine(db: Queryable, m: SimMachine): Promise<void> {
  await db.query(
    `UPDATE fleet.machines SET state = $2, instance_id = $3, config = $4, cordoned = $5, run = $6, logs = $7,
            state_entered_at = $8, updated_at = $9, pending_state = $10, transition_at = $11
      WHERE id = $1`,
    [m.id, m.state, m.instanceId, m.config, m.cordoned, jsonOrNull(m.run), JSON.stringify(m.logs), new Date(m.stateEnteredAt), new Date(m.updatedAt), ...pending(m)],
  );
}

export async function insertEvents(db: Queryable, m: Pick<SimMachine, 'app' | 'id'>, events: readonly SimEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO fleet.machine_events (app, machine_id, instance_id, type, status, source, at, request)
     SELECT $1, $2, e.instance_id, e.type, e.status, e.source, e.at, e.request
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::jsonb[])
         AS e(instance_id, type, status, source, at, request)`,
    [
      m.app,
      m.id,
      events.map((e) => e.instanceId),
      events.map((e) => e.type),
      events.map((e) => e.status),
      events.map((e) => e.source),
      events.map((e) => new Date(e.timestamp)),
      events.map((e) => (e.request ? JSON.stringify(e.request) : null)),
    ],
  );
}

/** The newest `limit` Fly-type events of each machine, newest first. */
export async function recentEvents(db: Queryable, machineIds: readonly string[], limit: number): Promise<Map<string, StoredSimEvent[]>> {
  const byMachine = new Map<string, StoredSimEvent[]>(machineIds.map((id) => [id, []]));
  if (machineIds.length === 0) return byMachine;
  const { rows } = await db.query<EventRow>(
    // LATERAL + LIMIT walks the (machine_id, seq) index backwards per machine, so the cost does not grow with history.
    `SELECT e.seq, e.machine_id, e.instance_id, e.type, e.status, e.source, e.at, e.request
       FROM unnest($1::text[]) AS m(id)
       CROSS JOIN LATERAL (
         SELECT * FROM fleet.machine_events
          WHERE machine_id = m.id AND type = ANY($2::text[])
          ORDER BY seq DESC LIMIT $3) e
      ORDER BY e.machine_id, e.seq DESC`,
    [machineIds, FLY_EVENT_TYPES, limit],
  );
  for (const row of rows) byMachine.get(row.machine_id)?.push(toEvent(row));
  return byMachine;
}

/** Every recorded event of the app (or one machine of it), oldest first. */
export async function appEvents(db: Queryable, app: string, machineId?: string): Promise<StoredSimEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT seq, machine_id, instance_id, type, status, source, at, request
       FROM fleet.machine_events WHERE app = $1 AND ($2::text IS NULL OR machine_id = $2) ORDER BY seq`,
    [app, machineId ?? null],
  );
  return rows.map(toEvent);
}

/** Ids of every machine the app ever had (the timeline includes destroyed ones). */
export async function allMachineIds(db: Queryable, app: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM fleet.machines WHERE app = $1 ORDER BY id`, [app]);
  return rows.map((r) => r.id);
}

interface LeaseRow {
  machine_id: string;
  nonce: string;
  owner: string;
  description: string;
  version: string;
  expires_at: Date;
}

export async function findLease(db: Queryable, machineId: string): Promise<SimLease | null> {
  const { rows } = await db.query<LeaseRow>(`SELECT * FROM fleet.leases WHERE machine_id = $1`, [machineId]);
  const row = rows[0];
  if (!row) return null;
  return { machineId: row.machine_id, nonce: row.nonce, owner: row.owner, description: row.description, version: row.version, expiresAt: row.expires_at.getTime() };
}

export async function saveLease(db: Queryable, lease: SimLease): Promise<void> {
  await db.query(
    `INSERT INTO fleet.leases (machine_id, nonce, owner, description, version, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (machine_id) DO UPDATE SET nonce = $2, owner = $3, description = $4, version = $5, expires_at = $6`,
    [lease.machineId, lease.nonce, lease.owner, lease.description, lease.version, new Date(lease.expiresAt)],
  );
}

export async function deleteLease(db: Queryable, machineId: string): Promise<void> {
  await db.query(`DELETE FROM fleet.leases WHERE machine_id = $1`, [machineId]);
}

/**
 * Claims `key` for `machineId`; returns the machine that owns the key — `machineId` itself, or the
 * one an earlier create made. Two statements on purpose: a concurrent claimer blocks on the insert
 * until the first commits, and only a fresh statement sees the winner's row.
 */
export async function claimIdempotencyKey(db: Queryable, app: string, key: string, machineId: string): Promise<string> {
  const inserted = await db.query(`INSERT INTO fleet.idempotency_keys (app, key, machine_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [app, key, machineId]);
  if (inserted.rowCount === 1) return machineId;
  const { rows } = await db.query<{ machine_id: string }>(`SELECT machine_id FROM fleet.idempotency_keys WHERE app = $1 AND key = $2`, [app, key]);
  return rows[0].machine_id;
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function times(m: SimMachine): [Date, Date, Date] {
  return [new Date(m.stateEnteredAt), new Date(m.createdAt), new Date(m.updatedAt)];
}

function pending(m: SimMachine): [MachineState | null, Date | null] {
  const at = nextTransitionAt(m);
  return [pendingState(m), at === null ? null : new Date(at)];
}
