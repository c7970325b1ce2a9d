import type { Queryable } from '../database/queryable';
import type { Fault, FaultEffect, FaultMatch } from '../machines/domain/sim.types';

interface FaultRow {
  id: string;
  match: FaultMatch;
  effect: FaultEffect;
  delay_ms: number;
  remaining: number | null;
  code: number | null;
  logs: string[];
  created_at: Date;
}

function toFault(row: FaultRow): Fault {
  return {
    id: row.id,
    match: row.match,
    effect: row.effect,
    delayMs: row.delay_ms,
    remaining: row.remaining,
    code: row.code,
    logs: row.logs,
    createdAt: row.created_at.getTime(),
  };
}

/** Faults that can still hit a machine, oldest first. The table is tiny: a full read is the cheap path. */
export async function listLiveFaults(db: Queryable): Promise<Fault[]> {
  const { rows } = await db.query<FaultRow>(`SELECT * FROM fleet.faults WHERE remaining IS NULL OR remaining > 0 ORDER BY created_at, id`);
  return rows.map(toFault);
}

export async function listAllFaults(db: Queryable): Promise<Fault[]> {
  const { rows } = await db.query<FaultRow>(`SELECT * FROM fleet.faults ORDER BY created_at, id`);
  return rows.map(toFault);
}

/**
 * Takes one use of the fault; false when another caller took the last one first. The decrement is
 * a single conditional UPDATE, so `times` holds under concurrency.
 */
export async function consumeFault(db: Queryable, fault: Fault): Promise<boolean> {
  if (fault.remaining === null) return true;
  const result = await db.query(`UPDATE fleet.faults SET remaining = remaining - 1 WHERE id = $1 AND remaining > 0`, [fault.id]);
  return result.rowCount === 1;
}

export async function insertFault(db: Queryable, fault: Fault): Promise<void> {
  await db.query(
    `INSERT INTO fleet.faults (id, match, effect, delay_ms, remaining, code, logs, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [fault.id, fault.match, fault.effect, fault.delayMs, fault.remaining, fault.code, JSON.stringify(fault.logs), new Date(fault.createdAt)],
  );
}

export async function deleteFaults(db: Queryable, id?: string): Promise<number> {
  const result = await db.query(`DELETE FROM fleet.faults WHERE $1::text IS NULL OR id = $1`, [id ?? null]);
  return result.rowCount ?? 0;
}
