import type { FinalMachine, TimelineEntry } from './fleet-timeline.checks';
import { sleep } from './chaos-infra';

const SEED_CONCURRENCY = 8;
/** How a seeded managed machine looks to deploy: v2 metadata, one check that passes while started. */
const CHECKS = { alive: { type: 'tcp', port: 8080, interval: '1s', timeout: '1s' } };

/** Fleet's HTTP API (the Machines API subset and fleet's own admin API), straight, for seeding and checking. */
export class FleetClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /**
   * An app in fleet with `managed` machines carrying v2 metadata (as if an earlier deploy made them)
   * and `unmanaged` ones without (as `machine run` makes them); resolves once all are started.
   */
  async seed(app: string, image: string, managed: number, unmanaged: number): Promise<{ managedIds: string[]; unmanagedIds: string[] }> {
    // `apps create` made the provider app already (DESIGN §2); a seed of an app Hangar does not know makes it here.
    await this.call('POST', '/v1/apps', { app_name: app, org_slug: 'personal' }).catch((error: Error) => {
      if (!/: 409 /.test(error.message)) throw error;
    });
    const launch = (metadata: Record<string, string>) =>
      this.call<{ id: string }>('POST', `/v1/apps/${app}/machines`, {
        region: 'local',
        config: { image, env: {}, checks: CHECKS, metadata, restart: { policy: 'always' } },
      }).then((m) => m.id);
    const managedMeta = { fly_platform_version: 'v2', fly_process_group: 'app', fly_release_id: 'seeded', fly_release_version: '0' };
    const managedIds = await inBatches(managed, SEED_CONCURRENCY, () => launch(managedMeta));
    const unmanagedIds = await inBatches(unmanaged, SEED_CONCURRENCY, () => launch({}));
    await this.waitAllStarted(app, managed + unmanaged);
    return { managedIds, unmanagedIds };
  }

  async timeline(app: string): Promise<TimelineEntry[]> {
    return (await this.call<{ events: TimelineEntry[] }>('GET', `/fleet/v1/apps/${app}/timeline`)).events;
  }

  async machines(app: string): Promise<FinalMachine[]> {
    const list = await this.call<{ id: string; state: string; config: { metadata?: Record<string, string> } }[]>('GET', `/v1/apps/${app}/machines`);
    return list.map((m) => ({ id: m.id, state: m.state, metadata: m.config.metadata ?? {} }));
  }

  private async waitAllStarted(app: string, count: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const machines = await this.machines(app);
      if (machines.length === count && machines.every((m) => m.state === 'started')) return;
      await sleep(100);
    }
    throw new Error(`the ${count} seeded machines of ${app} did not all start within 60 s`);
  }

  /** One call, retried while fleet is unreachable (it may be being restarted by the chaos). */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`fleet ${method} ${path}: ${res.status} ${text}`);
        return (text ? JSON.parse(text) : undefined) as T;
      } catch (error) {
        const unreachable = (error as Error).name === 'TimeoutError' || (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
        if (!unreachable || Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }
}

async function inBatches<T>(count: number, concurrency: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += concurrency) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, make))));
  }
  return out;
}
