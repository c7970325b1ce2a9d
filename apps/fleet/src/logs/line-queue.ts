import type { AppLogLine } from '@hangar/contracts';

/** Most lines held for a reader that falls behind; the oldest go first beyond it. */
const MAX_QUEUED = 10_000;

/**
 * Lines pushed by many container followers, read in arrival order by one consumer; iteration ends
 * when `signal` aborts.
 */
export class LineQueue implements AsyncIterable<AppLogLine> {
  private readonly items: AppLogLine[] = [];
  private wake?: () => void;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  readonly push = (line: AppLogLine): void => {
    if (this.items.length >= MAX_QUEUED) this.items.shift();
    this.items.push(line);
    this.wake?.();
  };

  async *[Symbol.asyncIterator](): AsyncGenerator<AppLogLine> {
    while (!this.signal.aborted) {
      const next = this.items.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
