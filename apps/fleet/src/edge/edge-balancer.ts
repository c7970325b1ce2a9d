import type { EdgeTarget, EdgeTargetSource } from './edge-target';

export interface EdgeBalancerOptions {
  /** How long an app's target list is reused before the source is asked again, ms. */
  refreshMs: number;
  /** Apps whose lists are cached at most; the one cached first is dropped first. */
  maxCachedApps: number;
  now: () => number;
}

/** One machine's counters. */
export interface MachineLoad {
  /** Requests sent to it and not finished yet. */
  inFlight: number;
  /** Requests (attempts) ever sent to it. */
  requests: number;
  /** Attempts that found it unreachable, timed out or were cut mid-response. */
  failures: number;
}

interface CachedTargets {
  targets: readonly EdgeTarget[];
  fetchedAt: number;
  stale: boolean;
  refreshing?: Promise<void>;
}

/**
 * Which machine takes the next request: the app's targets (cached for `refreshMs`), minus drained
 * machines, least in-flight first, ties in turn. Keeps the in-flight counts that drain waits on.
 * Synchronous between `pick` and `acquire`, so two requests never see the same count.
 */
export class EdgeBalancer {
  private readonly apps = new Map<string, CachedTargets>();
  private readonly machines = new Map<string, MachineLoad>();
  private readonly drained = new Set<string>();
  private readonly idleWaiters = new Map<string, Set<() => void>>();
  private turn = 0;
  /** Bumped by `undrain`: a list fetched before it may lack the machine's new address. */
  private generation = 0;

  constructor(
    private readonly source: EdgeTargetSource,
    private readonly options: EdgeBalancerOptions,
  ) {}

  /**
   * The app's targets, from the cache while it is fresh. Once it is older than `refreshMs` the next list
   * is fetched while requests keep using the last one (a request never waits on the database for a list
   * it already has; drained machines are left out at pick time anyway); a list marked stale (`undrain`)
   * or none at all is waited for. When the source fails, the last list known is used (a database hiccup
   * should not take every app down); with none known, the error is thrown.
   */
  async targets(app: string): Promise<readonly EdgeTarget[]> {
    let entry = this.apps.get(app);
    if (!entry) {
      entry = { targets: [], fetchedAt: Number.NEGATIVE_INFINITY, stale: true };
      this.cache(app, entry);
    }
    if (!entry.stale && this.options.now() - entry.fetchedAt < this.options.refreshMs) return entry.targets;
    const start = () =>
      (entry.refreshing ??= this.refresh(app, entry).finally(() => {
        entry.refreshing = undefined;
      }));
    if (!entry.stale && entry.fetchedAt !== Number.NEGATIVE_INFINITY) {
      start().catch(() => undefined);
      return entry.targets;
    }
    // Stale (or never fetched): a fetch that began before the list went stale does not count.
    if (entry.refreshing) await entry.refreshing.catch(() => undefined);
    if (entry.stale || entry.fetchedAt === Number.NEGATIVE_INFINITY) await start();
    return entry.targets;
  }

  /** Whether any target may take a request (without taking a turn). */
  anyAvailable(targets: readonly EdgeTarget[]): boolean {
    return targets.some((target) => !this.drained.has(target.machineId));
  }

  /** Least in-flight target that is neither drained nor excluded; undefined when there is none. */
  pick(targets: readonly EdgeTarget[], exclude: ReadonlySet<string> = new Set()): EdgeTarget | undefined {
    let least: EdgeTarget[] = [];
    let leastLoad = Number.POSITIVE_INFINITY;
    for (const target of targets) {
      if (this.drained.has(target.machineId) || exclude.has(target.machineId)) continue;
      const load = this.machines.get(target.machineId)?.inFlight ?? 0;
      if (load < leastLoad) {
        least = [target];
        leastLoad = load;
      } else if (load === leastLoad) {
        least.push(target);
      }
    }
    if (least.length === 0) return undefined;
    return least[this.turn++ % least.length];
  }

  /** Counts a request as in flight on the machine until `release`. */
  acquire(machineId: string): void {
    const load = this.load(machineId);
    load.inFlight += 1;
    load.requests += 1;
  }

  release(machineId: string, failed: boolean): void {
    const load = this.load(machineId);
    load.inFlight = Math.max(0, load.inFlight - 1);
    if (failed) load.failures += 1;
    if (load.inFlight === 0) this.notifyIdle(machineId);
  }

  inFlight(machineId: string): number {
    return this.machines.get(machineId)?.inFlight ?? 0;
  }

  isDrained(machineId: string): boolean {
    return this.drained.has(machineId);
  }

  drain(machineId: string): void {
    this.drained.add(machineId);
  }

  /** Makes the machine eligible again; every cached list is refetched, as its address may have changed. */
  undrain(machineId: string): void {
    this.drained.delete(machineId);
    this.generation += 1;
    for (const entry of this.apps.values()) entry.stale = true;
  }

  /**
   * The machine is gone (destroyed): its drain mark and counters are dropped, so a fleet that has
   * destroyed thousands of machines keeps no trace of them. A request still in flight to it keeps its
   * counter until it ends (then `release` makes a fresh one, dropped at the next `forget`).
   */
  forget(machineId: string): void {
    this.drained.delete(machineId);
    if (this.inFlight(machineId) === 0) this.machines.delete(machineId);
  }

  /** Resolves true once the machine has nothing in flight, false after `timeoutMs`. */
  whenIdle(machineId: string, timeoutMs: number): Promise<boolean> {
    if (this.inFlight(machineId) === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.idleWaiters.get(machineId) ?? new Set<() => void>();
      this.idleWaiters.set(machineId, waiters);
      const timer = setTimeout(() => {
        waiters.delete(onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      waiters.add(onIdle);
    });
  }

  /** Ends every pending `whenIdle` with true (the proxy is closing). */
  releaseWaiters(): void {
    for (const machineId of [...this.idleWaiters.keys()]) this.notifyIdle(machineId);
  }

  machineLoads(): Record<string, MachineLoad> {
    return Object.fromEntries([...this.machines].map(([id, load]) => [id, { ...load }]));
  }

  drainedMachines(): string[] {
    return [...this.drained];
  }

  private async refresh(app: string, entry: CachedTargets): Promise<void> {
    const generation = this.generation;
    try {
      entry.targets = await this.source.targets(app);
    } catch (error) {
      if (entry.fetchedAt === Number.NEGATIVE_INFINITY) {
        this.apps.delete(app);
        throw error;
      }
    }
    // After a failure too: the source is asked again a period later, not once per request.
    entry.fetchedAt = this.options.now();
    entry.stale = generation !== this.generation;
  }

  private cache(app: string, entry: CachedTargets): void {
    this.apps.set(app, entry);
    if (this.apps.size > this.options.maxCachedApps) {
      const oldest = this.apps.keys().next().value;
      if (oldest !== undefined) this.apps.delete(oldest);
    }
  }

  private load(machineId: string): MachineLoad {
    let load = this.machines.get(machineId);
    if (!load) {
      load = { inFlight: 0, requests: 0, failures: 0 };
      this.machines.set(machineId, load);
    }
    return load;
  }

  private notifyIdle(machineId: string): void {
    const waiters = this.idleWaiters.get(machineId);
    if (!waiters) return;
    this.idleWaiters.delete(machineId);
    for (const wake of waiters) wake();
  }
}
