import { Logger } from '@nestjs/common';
import { recordAuditCheckpoint, type EventStore, type SqlQueryable } from '@hangar/event-store';

/** Default time between audit checkpoints: 5 minutes. */
export const DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS = 5 * 60_000;

export interface AuditCheckpointScheduleOptions {
  store: EventStore;
  db: SqlQueryable;
  /** Only the process for which this is true writes (the active relay): one writer at a time. */
  isWriter: () => boolean;
  /** Default 5 minutes. */
  intervalMs?: number;
}

/**
 * Records an `AuditCheckpointRecorded` every interval while this process is the writer (DESIGN G7),
 * skipping when nothing changed. Tampering found on the way (a head that went back) is logged; it is
 * never recorded over the committed heads.
 */
export class AuditCheckpointSchedule {
  private readonly logger = new Logger(AuditCheckpointSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: AuditCheckpointScheduleOptions) {}

  start(): void {
    const interval = this.options.intervalMs ?? DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS;
    if (this.timer || interval <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick(interval).finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async tick(interval: number): Promise<void> {
    if (!this.options.isWriter()) return;
    try {
      // 90 %: a checkpoint written a moment early by another writer still counts for this round.
      const { recorded, regressions } = await recordAuditCheckpoint(this.options.store, this.options.db, { minIntervalMs: interval * 0.9 });
      for (const r of regressions) {
        this.logger.warn(`audit: stream ${r.committed.streamId} no longer matches checkpointed position ${r.committed.position}; run \`hangar audit verify\``);
      }
      if (recorded) this.logger.log(`audit checkpoint #${recorded.sequence}: ${recorded.streamCount} streams, digest ${recorded.digest}`);
    } catch (error) {
      this.logger.warn(`audit checkpoint failed: ${(error as Error).message}`);
    }
  }
}
