import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Pool } from 'pg';
import { eventsStreamName } from '@hangar/contracts';
import type { ObservedRelease } from './fleet-timeline.checks';
import { sleep } from './chaos-infra';

const TERMINAL: Record<string, string> = { ReleaseCompleted: 'complete', ReleaseFailed: 'failed', ReleaseCancelled: 'cancelled' };

/**
 * What the chaos runner reads from Hangar's database: the releases' statuses (to know when to stop
 * waiting and where each release's window ends), the first decision after a releaser restart, and
 * which process holds the relay's advisory lock. Every query is retried while Postgres restarts.
 */
export class ChaosStore {
  private readonly pool: Pool;

  constructor(databaseUrl: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 2 });
    this.pool.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The app's releases in creation order, with their status and end as recorded. */
  async releases(app: string): Promise<ObservedRelease[]> {
    const enqueued = await this.query<{ id: string; version: number }>(
      `SELECT data->>'releaseId' AS id, (data->>'version')::int AS version FROM events WHERE stream_id = $1 AND type = 'ReleaseEnqueued' ORDER BY stream_position`,
      [`app-${app}`],
    );
    const events = await this.query<{ stream_id: string; type: string; recorded_at: Date }>(
      `SELECT stream_id, type, recorded_at FROM events WHERE stream_id = ANY($1) AND type IN ('ReleaseStarted', 'ReleaseCompleted', 'ReleaseFailed', 'ReleaseCancelled')`,
      [enqueued.map((r) => `release-${r.id}`)],
    );
    return enqueued.map((r) => {
      const mine = events.filter((e) => e.stream_id === `release-${r.id}`);
      const end = mine.find((e) => TERMINAL[e.type]);
      if (end) return { id: r.id, version: r.version, status: TERMINAL[end.type]!, endedAt: end.recorded_at.getTime() };
      return { id: r.id, version: r.version, status: mine.some((e) => e.type === 'ReleaseStarted') ? 'running' : 'queued' };
    });
  }

  async releaseCount(app: string): Promise<number> {
    return (await this.releases(app)).length;
  }

  /** Operations started more than once (a run interrupted by a crash and resumed). */
  async resumedOperations(app: string): Promise<number> {
    const [row] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT data->>'key' FROM events WHERE type = 'MachineUpdateStarted' AND data->>'app' = $1 GROUP BY 1 HAVING count(*) > 1) resumed`,
      [app],
    );
    return row?.n ?? 0;
  }

  /** ms from `since` (epoch ms) to the first event the releaser recorded after it, if any. */
  async firstDecisionAfter(since: number): Promise<number | undefined> {
    const [row] = await this.query<{ at: Date | null }>(
      `SELECT min(recorded_at) AS at FROM events WHERE (stream_id LIKE 'release-%' OR stream_id LIKE 'app-%') AND recorded_at > to_timestamp($1 / 1000.0)`,
      [since],
    );
    return row?.at ? row.at.getTime() - since : undefined;
  }

  /** The pid (among `pids`) of the process whose Postgres session holds the relay's advisory lock. */
  async relayHolder(namespace: string, pids: readonly number[]): Promise<number | undefined> {
    const [row] = await this.query<{ client_port: number | null }>(
      `SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
      [`hangar:relay:${eventsStreamName(namespace)}`],
    );
    if (!row?.client_port) return undefined;
    const inode = socketInode(row.client_port);
    return inode === undefined ? undefined : pids.find((pid) => ownsSocket(pid, inode));
  }

  private async query<R>(sql: string, params: unknown[]): Promise<R[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return (await this.pool.query(sql, params)).rows as R[];
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(250);
      }
    }
  }
}

/** The inode of the local TCP socket bound to `port` (from /proc/net/tcp{,6}). */
function socketInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1]!.endsWith(`:${hexPort}`)) return cols[9];
    }
  }
  return undefined;
}

function ownsSocket(pid: number, inode: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
