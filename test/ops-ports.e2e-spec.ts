import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cliOk,
  flyToml,
  pushTestImages,
  startHangarE2e,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
  type HangarProcesses,
  type HangarService,
} from '@hangar/testing';

jest.setTimeout(180_000);

/** The services an orchestrator probes (fleet stands in for Fly and has its own routes). */
const SERVICES: readonly HangarService[] = ['gateway', 'releaser', 'builder', 'machine-updater', 'secrets'];

/** The value of one series in a Prometheus text scrape (`name{labels} value`), or undefined. */
function series(scrape: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('every service answers /healthz, /readyz and /metrics on its ops port (e2e)', () => {
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  const get = (service: HangarService, path: string, init?: RequestInit) => fetch(`${hangar.opsUrl(service)}${path}`, init);
  const metricsOf = async (service: HangarService) => (await get(service, '/metrics')).text();

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_ops', namespace: testNamespace('o'), tmpPrefix: 'hangar-ops-', opsPorts: true });
    ({ hangar } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('answers liveness and readiness (database, NATS, subscribed) on each replica, and nothing else', async () => {
    for (const service of SERVICES) {
      const health = await get(service, '/healthz');
      expect([service, health.status, await health.json()]).toEqual([service, 200, { status: 'ok' }]);
      const ready = await get(service, '/readyz');
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      expect([service, ready.status, body.status]).toEqual([service, 200, 'ok']);
      expect(body.checks).toMatchObject({ database: 'ok', nats: 'ok' });
      if (service !== 'gateway') expect(body.checks.subscribed).toBe('ok');
      expect((await get(service, '/v1/apps')).status).toBe(404);
      expect((await get(service, '/healthz', { method: 'POST' })).status).toBe(405);
    }
  });

  it('exports process metrics per service, the relay held by exactly one replica, and consumer traffic and lag', async () => {
    for (const service of SERVICES) {
      const res = await get(service, '/metrics');
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      const labels = service === 'gateway' ? '' : `\\{service="${service}"\\}`;
      expect(text).toMatch(new RegExp(`^hangar_${service.replace('-', '_')}_process_cpu_user_seconds_total${labels} `, 'm'));
    }
    // Every command-serving service runs a relay; the advisory lock lets exactly one publish.
    const held = await waitFor(hangar, 'one relay leader', async () => {
      const values = await Promise.all(SERVICES.filter((s) => s !== 'gateway').map(async (s) => series(await metricsOf(s), 'hangar_singleton_held', { singleton: 'relay' })));
      return values.every((v) => v !== undefined) && values.reduce((a, b) => a! + b!, 0) === 1 ? values : undefined;
    });
    expect(held.filter((v) => v === 1)).toHaveLength(1);

    const app = `ops-${uniqueSuffix()}`;
    const image = (await pushTestImages(app, ['v1'])).v1!;
    const dir = join(e2e.dir, app);
    mkdirSync(dir);
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, image));
    await cliOk(hangar, ['apps', 'create', app]);
    await cliOk(hangar, ['deploy'], { cwd: dir });

    // The releaser decided on the deploy's events: its consumers took messages, and caught up.
    const releaser = await waitFor(hangar, 'the releaser to catch up', async () => {
      const text = await metricsOf('releaser');
      const lags = [...text.matchAll(/^hangar_consumer_lag\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
      return lags.length > 0 && lags.every((l) => l === 0) ? text : undefined;
    });
    const taken = [...releaser.matchAll(/^hangar_consumer_messages_total\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(taken.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(releaser).toMatch(/^hangar_consumer_in_flight\{[^}]*service="releaser"[^}]*\} 0$/m);
    const updater = await metricsOf('machine-updater');
    expect([...updater.matchAll(/^hangar_consumer_messages_total\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1])).some((n) => n > 0)).toBe(true);
  });

  it('says NATS is down when it is, while liveness still answers', async () => {
    await hangar.natsServer!.stop();
    for (const service of SERVICES) {
      const ready = await waitFor(hangar, `${service} to report NATS down`, async () => {
        const res = await get(service, '/readyz');
        return res.status === 503 ? ((await res.json()) as { checks: Record<string, string> }) : undefined;
      });
      expect(ready.checks).toMatchObject({ database: 'ok', nats: 'error' });
      expect((await get(service, '/healthz')).status).toBe(200);
    }
  });
});
