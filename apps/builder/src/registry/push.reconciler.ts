import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ImagePushedData } from '@hangar/contracts';
import { EVENT_STORE, PG_POOL, sqlFilesIn, type EventStore } from '@hangar/event-store';
import { PeriodicRounds } from '@hangar/messaging';
import { PushEvaluator } from './push-evaluator.service';

const UNEVALUATED = sqlFilesIn(__dirname)('unevaluated-pushes');
const BATCH = 100;

/** Injection token: `{ intervalMs }` of the push reconciler (`HANGAR_RECONCILE_INTERVAL_MS`). */
export const PUSH_RECONCILE_OPTIONS = Symbol('PUSH_RECONCILE_OPTIONS');

/**
 * "The store stays the truth" for pushes (DESIGN §4, G3): on start and every interval, a push
 * recorded more than two intervals ago without a `PushEvaluated` lost its feed message, so it is
 * evaluated now, through the same idempotent path as the consumer's.
 */
@Injectable()
export class PushReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushReconciler.name);
  private readonly rounds: PeriodicRounds;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly evaluator: PushEvaluator,
    @Inject(PUSH_RECONCILE_OPTIONS) private readonly options: { intervalMs: number },
  ) {
    this.rounds = new PeriodicRounds('push reconcile', () => this.options.intervalMs, () => this.reconcile(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }


  private async reconcile(): Promise<void> {
    const { rows } = await this.pool.query<{ event_id: string; stream_id: string; data: ImagePushedData; metadata: { actor?: string } }>(UNEVALUATED, [2 * this.options.intervalMs, BATCH]);
    for (const row of rows) {
      if (this.rounds.stopped) return;
      this.logger.warn(`push ${row.event_id} of ${row.data.host}/${row.data.repository}:${row.data.tag} was never evaluated: evaluating it now`);
      await this.evaluator.evaluate(row.event_id, row.stream_id, row.data, row.metadata.actor ?? 'registry', (write) => this.store.transaction(write));
    }
  }
}
