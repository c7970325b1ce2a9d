import type { Logger } from '@nestjs/common';

/**
 * Runs `round` once at start and then `intervalMs` after each round ends, until stopped: the loop
 * of the reconcilers ("the store stays the truth", DESIGN §4). A failing round is logged and the next
 * one runs as planned; `stop` waits for a round in progress.
 */
export class PeriodicRounds {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private ended = false;

  constructor(
    private readonly what: string,
    private readonly intervalMs: () => number,
    private readonly round: () => Promise<void>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Whether `stop` was called: long rounds check it between steps. */
  get stopped(): boolean {
    return this.ended;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.ended = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (this.ended) return;
    this.timer = setTimeout(() => {
      this.current = this.round()
        .catch((error: unknown) => this.logger.warn(`${this.what} round failed: ${(error as Error).message}`))
        .finally(() => this.schedule(this.intervalMs()));
    }, delayMs);
    this.timer.unref();
  }
}
