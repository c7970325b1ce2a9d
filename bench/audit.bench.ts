import { Client, type Pool } from 'pg';
import { queryEvents, type EventQuery, type SqlQueryable } from '@hangar/event-store';

export interface AuditQueryFigure {
  query: string;
  matches: number;
  /** Median over the runs, through the audit indexes. */
  indexedMs: number;
  /** Median of the same query with index and bitmap scans disabled: a full scan of `events`. */
  fullScanMs: number;
  ratio: number;
}

const APPS = 200;
const ACTORS = 50;
const RELEASES = 20_000;
const MACHINES = 50_000;
const TYPES = ['ReleaseQueued', 'ReleaseStarted', 'RolloutPlanned', 'MachineUpdateRequested', 'MachineUpdateStarted', 'MachineUpdated', 'RolloutStepSucceeded', 'ReleaseCompleted', 'ImageResolved', 'SecretsSet', 'MachineCreated', 'TokenCreated'];
const SPAN_DAYS = 30;

/**
 * Fills `events` with `count` synthetic events in one `INSERT … SELECT generate_series` (hashes are
 * not chained: queries do not read them), spread over 200 apps, 12 types, 50 actors, 20 000 releases,
 * 50 000 machines and 30 days, as the audit indexes would see a busy installation.
 */
export async function seedAuditEvents(pool: Pool, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
     SELECT 'bench-' || (i % 10000), i / 10000 + 1,
            md5(i::text)::uuid,
            ($2::text[])[1 + i % array_length($2::text[], 1)],
            jsonb_strip_nulls(jsonb_build_object(
              'app', 'app-' || (i % $3),
              'releaseId', CASE WHEN i % 5 < 2 THEN 'rel-' || (i % $4) END,
              'machineId', CASE WHEN i % 10 < 3 THEN 'm-' || (i % $5) END,
              'n', i)),
            jsonb_build_object('actor', CASE WHEN i % 3 = 0 THEN 'system' ELSE 'user-' || (i % $6) END),
            now() - make_interval(secs => ($1::int - i)::double precision * $7 / $1::int),
            md5('h' || i::text)
     FROM generate_series(1, $1::int) AS i`,
    [count, TYPES, APPS, RELEASES, MACHINES, ACTORS, SPAN_DAYS * 86400],
  );
  await pool.query('ANALYZE events');
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await fn();
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const asQueryable = (c: Client): SqlQueryable => ({ query: async (sql, params) => c.query(sql, params) as never });

/**
 * Audit query latency (`GET /v1/audit`, one page of 100) over the seeded store, each filter timed
 * through the indexes and again as a full scan in the same run (index scans disabled on that session).
 */
export async function benchAuditQueries(pool: Pool, databaseUrl: string): Promise<AuditQueryFigure[]> {
  const now = (await pool.query<{ t: Date }>('SELECT now() AS t')).rows[0]!.t.getTime();
  const hour = 3_600_000;
  const middle = await queryEvents(pool, { app: 'app-17', limit: 1000 });
  const sample = async (key: string) =>
    (await pool.query<{ v: string }>(`SELECT data->>'${key}' AS v FROM events WHERE data->>'${key}' IS NOT NULL ORDER BY global_position LIMIT 1 OFFSET 5000`)).rows[0]!.v;
  const queries: [string, EventQuery][] = [
    ['app', { app: 'app-17' }],
    ['type', { types: ['ReleaseCompleted'] }],
    ['rare-type', { types: ['AuditCheckpointRecorded'] }],
    ['two-types', { types: ['ReleaseQueued', 'ReleaseCompleted'] }],
    ['actor', { actor: 'user-7' }],
    ['release', { releaseId: await sample('releaseId') }],
    ['machine', { machineId: await sample('machineId') }],
    ['since-until-1h', { since: new Date(now - 15 * 24 * hour), until: new Date(now - 15 * 24 * hour + hour) }],
    ['app+type+since', { app: 'app-17', types: ['MachineUpdated'], since: new Date(now - 7 * 24 * hour) }],
    ['app-page-after-1000', { app: 'app-17', after: middle.events.at(-1)!.globalPosition }],
  ];
  const scan = new Client({ connectionString: databaseUrl });
  await scan.connect();
  try {
    await scan.query('SET enable_indexscan = off');
    await scan.query('SET enable_bitmapscan = off');
    await scan.query('SET enable_indexonlyscan = off');
    const figures: AuditQueryFigure[] = [];
    for (const [name, q] of queries) {
      const query = { limit: 100, ...q };
      const matches = (await queryEvents(pool, query)).events.length;
      const indexedMs = await median(7, () => queryEvents(pool, query));
      const fullScanMs = await median(3, () => queryEvents(asQueryable(scan), query));
      figures.push({ query: name, matches, indexedMs, fullScanMs, ratio: fullScanMs / indexedMs });
    }
    return figures;
  } finally {
    await scan.end();
  }
}
