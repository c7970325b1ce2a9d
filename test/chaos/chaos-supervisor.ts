import { ALL_SERVICES, type HangarProcesses, type HangarService } from '@hangar/testing';
import { sleep } from './chaos-infra';

const WATCH_EVERY_MS = 500;
const RESTART_DEADLINE_MS = 120_000;

/**
 * What systemd or Kubernetes does for Hangar in production, for the chaos runs: starts every service
 * (fleet first: it creates its schema), restarts one that dies at boot (NATS or Postgres away) until
 * it stays up, and restarts one that exits by itself (noted, as it is worth knowing). The chaos
 * kills go through it too, so a service is never started twice at once.
 */
export class Supervisor {
  /** What happened besides the kills: services that exited by themselves. */
  readonly notes: string[] = [];
  /** Killed on purpose and not restarted yet, or being restarted by the watchdog: one owner at a time. */
  private readonly down = new Set<HangarService>();
  private readonly restarting = new Set<HangarService>();
  private watching = false;
  private watchdog: Promise<void> = Promise.resolve();

  constructor(
    private readonly hangar: HangarProcesses,
    private readonly log: (line: string) => void,
  ) {}

  async startAll(): Promise<void> {
    await this.hangar.start([]);
    await this.restart('fleet');
    await Promise.all(ALL_SERVICES.filter((s) => s !== 'fleet').map((s) => this.restart(s)));
    this.watching = true;
    this.watchdog = this.watch();
  }

  /** SIGKILLs the service, keeps it down for `downMs`, starts it again; resolves with the restart's start time. */
  async kill(service: HangarService, downMs: number): Promise<number> {
    while (this.restarting.has(service)) await sleep(100);
    this.down.add(service);
    try {
      await this.hangar.stopOne(service, 'SIGKILL');
      await sleep(downMs);
      return await this.restart(service);
    } finally {
      this.down.delete(service);
    }
  }

  /** No more restarts: the chaos is over and what is running now stays as it is. */
  async stopWatching(): Promise<void> {
    this.watching = false;
    await this.watchdog.catch(() => undefined);
  }

  /** Stops watching and stops every service. */
  async stop(): Promise<void> {
    await this.stopWatching();
    await this.hangar.stop().catch(() => undefined);
  }

  private async watch(): Promise<void> {
    while (this.watching) {
      for (const s of ALL_SERVICES) {
        if (!this.watching || this.down.has(s) || this.hangar.pid(s) !== undefined) continue;
        this.notes.push(`${s} exited by itself`);
        this.log(`  ${s} exited by itself; its last words:\n    ${this.hangar.output(s).trimEnd().split('\n').slice(-25).join('\n    ')}`);
        this.restarting.add(s);
        await this.restart(s).finally(() => this.restarting.delete(s));
      }
      await sleep(WATCH_EVERY_MS);
    }
  }

  /** Starts the service, retrying while it dies at boot; the time of the attempt that stayed up. */
  private async restart(service: HangarService): Promise<number> {
    const deadline = Date.now() + RESTART_DEADLINE_MS;
    for (;;) {
      const at = Date.now();
      try {
        await this.hangar.startOne(service);
        return at;
      } catch (error) {
        this.log(`  ${service} failed to start (restarting it): ${(error as Error).message.split('\n').slice(0, 12).join('\n    ')}`);
        await this.hangar.stopOne(service, 'SIGKILL').catch(() => undefined);
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  }
}
