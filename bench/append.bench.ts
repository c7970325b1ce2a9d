import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@hangar/event-store';

export interface AppendFigures {
  writers: number;
  plainInsertsPerSec: number;
  appendsPerSec: number;
  ratio: number;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Event appends per second through the event store against plain INSERTs of the same payload into
 * the same database, with `writers` concurrent writers each doing `perWriter` single-event writes.
 */
export async function benchAppends(pool: Pool, writers: number, perWriter: number): Promise<AppendFigures> {
  const store = new PostgresEventStore(pool, { auditKey: randomBytes(32) });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_plain (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL)');
  const data = { app: 'bench', machineId: '0123456789abcd', releaseId: '01J0000000000000000000000', note: 'x'.repeat(100) };
  const run = `${Date.now()}`;
  const plain = await timed(async () => {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await pool.query('INSERT INTO bench_plain (stream_id, type, data) VALUES ($1, $2, $3)', [`bench-${run}-${w}`, 'BenchEvent', data]);
        }
      }),
    );
  });
  const appended = await timed(async () => {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await store.append(`bench-${run}-${w}`, [{ type: 'BenchEvent', data }], { expectedVersion: i === 0 ? 'NO_STREAM' : i });
        }
      }),
    );
  });
  const total = writers * perWriter;
  return { writers, plainInsertsPerSec: total / plain, appendsPerSec: total / appended, ratio: plain / appended };
}
