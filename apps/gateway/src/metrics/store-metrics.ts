import { Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import type { ReleaseStatus } from '@hangar/contracts';
import type { SqlQueryable } from '@hangar/event-store';
import { loadSql } from './sql-files';

const SQL = {
  releaseStatuses: loadSql('release-statuses'),
  maxGlobalPosition: loadSql('max-global-position'),
  relayCheckpoint: loadSql('relay-checkpoint'),
};

/** Every status a release can be in, each exposed even at 0 so a rate or an alert has a series to read. */
export const RELEASE_STATUSES: readonly ReleaseStatus[] = ['queued', 'running', 'complete', 'failed', 'cancelled', 'rolled_back'];

/** The status a release is in when `type` is the last of its status-setting events (as the releaser's summary reads them). */
const STATUS_OF_EVENT: Readonly<Record<string, ReleaseStatus>> = {
  ReleaseQueued: 'queued',
  ReleaseStarted: 'running',
  ReleaseCompleted: 'complete',
  ReleaseFailed: 'failed',
  ReleaseCancelled: 'cancelled',
  ReleaseRolledBack: 'rolled_back',
};

/** Releases per status from `sql/release-statuses.sql` rows (last event type → count). */
export function releaseStatusCounts(rows: readonly { type: string; releases: number }[]): Record<ReleaseStatus, number> {
  const counts = Object.fromEntries(RELEASE_STATUSES.map((s) => [s, 0])) as Record<ReleaseStatus, number>;
  for (const row of rows) {
    const status = STATUS_OF_EVENT[row.type];
    if (status) counts[status] += Number(row.releases);
  }
  return counts;
}

/**
 * Events the relay has not published yet, approximately: the newest global position minus the
 * relay's checkpoint (0 before its first batch). The relay walks `(transaction_id, global_position)`
 * order, so a late-committing event below the checkpoint is not counted; never negative.
 */
export function relayLag(maxGlobalPosition: number, checkpoint: number | null): number {
  return Math.max(0, maxGlobalPosition - (checkpoint ?? 0));
}

/** How long `/metrics` serves the store gauges it computed before computing them again, ms. */
export const DEFAULT_STORE_METRICS_CACHE_MS = 5000;

export interface StoreMetricsOptions {
  /** The relay's checkpoint name, `<NS>_EVENTS` of the gateway's namespace. */
  relayName: string;
  /** Reuse computed values this long after they were computed (default 5000 ms). */
  cacheMs?: number;
  /** ms since the epoch (default `Date.now`). */
  now?: () => number;
}

/**
 * The gauges read from the event store: `hangar_releases{status}`, `hangar_events_total` (the newest
 * global position) and `hangar_relay_lag_events`. `/metrics` is unauthenticated and the status query
 * reads every release's events, so the values are computed at most once per `cacheMs` whatever the
 * scrape rate, and scrapes arriving while they are computed wait for that one computation (review M6).
 * A gauge whose query fails is left out, never failing the scrape; the first failure of a run is
 * logged, not every scrape's.
 */
export class StoreMetrics {
  private readonly logger = new Logger(StoreMetrics.name);
  private readonly failing = new Set<string>();
  private readonly cacheMs: number;
  private readonly now: () => number;
  private latest: { registry: Promise<Registry>; computedAt?: number } | undefined;

  constructor(
    private readonly db: SqlQueryable,
    private readonly options: StoreMetricsOptions,
  ) {
    this.cacheMs = options.cacheMs ?? DEFAULT_STORE_METRICS_CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  /** A registry of its own, holding the latest values, to merge with the gateway's (never rejects). */
  collect(): Promise<Registry> {
    const latest = this.latest;
    if (latest && (latest.computedAt === undefined || this.now() - latest.computedAt < this.cacheMs)) return latest.registry;
    const next: { registry: Promise<Registry>; computedAt?: number } = {
      registry: this.compute().finally(() => {
        next.computedAt = this.now();
      }),
    };
    this.latest = next;
    return next.registry;
  }

  private async compute(): Promise<Registry> {
    const registry = new Registry();
    // One query at a time: a scrape should not take more of the pool than one request does.
    const statuses = await this.attempt('hangar_releases', async () => releaseStatusCounts((await this.db.query<{ type: string; releases: number }>(SQL.releaseStatuses)).rows));
    const head = await this.attempt('hangar_events_total', async () => Number((await this.db.query<{ position: string }>(SQL.maxGlobalPosition)).rows[0]?.position ?? 0));
    const checkpoint = await this.attempt('hangar_relay_lag_events', async () => {
      const row = (await this.db.query<{ position: string }>(SQL.relayCheckpoint, [this.options.relayName])).rows[0];
      return row ? Number(row.position) : null;
    });
    if (statuses) {
      const gauge = new Gauge({ name: 'hangar_releases', help: 'Releases by current status', labelNames: ['status'], registers: [registry] });
      for (const status of RELEASE_STATUSES) gauge.set({ status }, statuses[status]);
    }
    if (head !== undefined) {
      new Gauge({ name: 'hangar_events_total', help: 'Events in the store: the newest global position', registers: [registry] }).set(head);
    }
    if (head !== undefined && checkpoint !== undefined) {
      const help = "Events the relay has not published yet: the newest global position minus the relay's checkpoint";
      new Gauge({ name: 'hangar_relay_lag_events', help, registers: [registry] }).set(relayLag(head, checkpoint));
    }
    return registry;
  }

  private async attempt<T>(gauge: string, query: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await query();
      if (this.failing.delete(gauge)) this.logger.log(`${gauge} is back in /metrics`);
      return value;
    } catch (error) {
      if (!this.failing.has(gauge)) {
        this.failing.add(gauge);
        this.logger.warn(`${gauge} left out of /metrics until its query answers again: ${(error as Error).message}`);
      }
      return undefined;
    }
  }
}
