import { Injectable, type OnModuleDestroy } from '@nestjs/common';

export type WakeReason = 'changed' | 'timeout' | 'closed';

/**
 * In-process wake-ups for held `wait` requests: a write to a machine wakes its waiters at once
 * instead of each waiter polling the database. Timed transitions are covered by the waiter sleeping
 * until the machine's next transition; other fleet processes by a bounded re-check interval.
 */
@Injectable()
export class MachineWaiter implements OnModuleDestroy {
  private readonly waiters = new Map<string, Set<(reason: WakeReason) => void>>();
  private readonly listeners = new Set<(machineId: string) => void>();
  private closed = false;

  notify(machineId: string): void {
    for (const wake of this.waiters.get(machineId) ?? []) wake('changed');
    for (const listener of this.listeners) listener(machineId);
  }

  /** Calls `listener` after every write to any machine (the podman runtime converges right away). */
  onChange(listener: (machineId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves on the next write to the machine, after `ms`, or at shutdown. */
  waitForChange(machineId: string, ms: number): Promise<WakeReason> {
    if (this.closed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      let set = this.waiters.get(machineId);
      if (!set) this.waiters.set(machineId, (set = new Set()));
      const done = (reason: WakeReason) => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(machineId);
        resolve(reason);
      };
      const timer = setTimeout(() => done('timeout'), Math.max(0, ms));
      set.add(done);
    });
  }

  /** Held waits end before the HTTP server closes, so shutdown is not delayed by up to 60 s. */
  onModuleDestroy(): void {
    this.closed = true;
    for (const set of [...this.waiters.values()]) for (const wake of [...set]) wake('closed');
  }
}
