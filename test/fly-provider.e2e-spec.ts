import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  HangarProcesses,
  TEST_REGISTRY_HOST,
  apiRequest,
  cliJson,
  cliOk,
  fleetFetch,
  fleetMachines,
  pushTestImages,
  releasesOf,
  settledRelease,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type HangarE2e,
} from '@hangar/testing';

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

/**
 * Stands between machine-updater and fleet, forwarding every request and keeping what was sent:
 * what the client put on the wire is checked from outside both (a `region` it must not send).
 */
class RecordingProxy {
  readonly seen: Seen[] = [];
  target = '';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  requests(method: string, pattern: RegExp): Seen[] {
    return this.seen.filter((s) => s.method === method && pattern.test(s.url));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    this.seen.push({ method: req.method!, url: req.url!, body: text ? (JSON.parse(text) as unknown) : undefined });
    if (!this.target) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'proxy not ready' }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    try {
      const answer = await fetch(`${this.target}${req.url}`, { method: req.method, headers, ...(text ? { body: text } : {}) });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
    } catch {
      res.writeHead(502).end();
    }
  }
}

/** The mirror name the images are deployed under: a public-looking registry the builder reaches at the local one. */
const MIRRORED_HOST = 'registry.hangar-e2e.example';

/**
 * Issue 14 points 1, 2, 11 and 13 end to end, with `HANGAR_MACHINES_PROVIDER=fly` pointed at fleet
 * (fleet answering as Fly.io would) through a proxy that records the requests: the provider app made
 * once at `apps create --org`, `apps import`, no region sent without `primary_region`, Fly's IP
 * assignments API for `ips`, and images Fly cannot pull refused at plan time.
 */
describe('HANGAR_MACHINES_PROVIDER=fly against fleet (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  const proxy = new RecordingProxy();
  let images: Record<string, string> = {};
  let mirrored: Record<string, string> = {};
  const suffix = uniqueSuffix();

  const fleetJson = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fleetFetch(hangar, path, init);
    if (!res.ok) throw new Error(`fleet ${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
  const appEvents = async (app: string) =>
    (await pg.query<{ type: string; data: Record<string, unknown> }>(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_position`, [`app-${app}`])).rows;
  const writeToml = (app: string, image: string, extra = '') => {
    mkdirSync(join(dir, app), { recursive: true });
    writeFileSync(join(dir, app, 'fly.toml'), `app = "${app}"\n\n[build]\nimage = "${image}"\n${extra}`);
    return join(dir, app);
  };

  beforeAll(async () => {
    const proxyUrl = await proxy.start();
    images = await pushTestImages(`flyprov-${suffix}`, ['v1', 'v2']);
    mirrored = Object.fromEntries(Object.entries(images).map(([tag, ref]) => [tag, ref.replace(TEST_REGISTRY_HOST, MIRRORED_HOST)]));
    e2e = await startHangarE2e({
      databasePrefix: 'hangar_e2e_flyprov',
      namespace: testNamespace('fp'),
      fleetBootMs: 20,
      tmpPrefix: 'hangar-e2e-flyprov-',
      extraEnv: {
        HANGAR_MACHINES_PROVIDER: 'fly',
        HANGAR_MACHINES_API_URL: proxyUrl,
        HANGAR_REGISTRY_MIRRORS: JSON.stringify({ [MIRRORED_HOST]: TEST_REGISTRY_HOST }),
      },
    });
    ({ pg, hangar, dir } = e2e);
    proxy.target = hangar.fleetUrl;
  }, 180_000);

  afterAll(async () => {
    await e2e?.stop();
    await proxy.stop();
  });

  describe('apps create --org (point 1)', () => {
    it('creates the provider app once, in the org, and records which org', async () => {
      const app = `fp-org-${suffix}`;
      await cliOk(hangar, ['apps', 'create', app, '--org', 'acme']);
      const creates = proxy.requests('POST', /^\/v1\/apps\?wait=true$/).filter((s) => (s.body as { app_name?: string }).app_name === app);
      expect(creates.map((s) => s.body)).toEqual([{ app_name: app, name: app, org_slug: 'acme' }]);
      expect((await fleetJson<{ organization: { slug: string } }>(`/v1/apps/${app}`)).organization.slug).toBe('acme');
      expect(await appEvents(app)).toEqual([
        { type: 'AppCreated', data: expect.objectContaining({ app, platformVersion: 'v2', provider: 'fly', org: 'acme', providerApp: 'created' }) },
      ]);
      const shown = await apiRequest(hangar, 'GET', `/v1/apps/${app}`);
      expect((shown.body as { app: { org?: string } }).app.org).toBe('acme');
    });

    it('accepts a provider app that already exists (409 from the API), recording it as existing', async () => {
      const app = `fp-pre-${suffix}`;
      await fleetJson('/v1/apps', post({ app_name: app, org_slug: 'acme' }));
      await cliOk(hangar, ['apps', 'create', app, '--org', 'acme']);
      expect((await appEvents(app))[0]?.data).toMatchObject({ org: 'acme', providerApp: 'existing' });
    });

    it('refuses without an org (no --org, no HANGAR_FLY_ORG), naming both, and changes nothing', async () => {
      const app = `fp-noorg-${suffix}`;
      const before = proxy.seen.length;
      const result = await hangar.cli(['apps', 'create', app]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--org <slug>.*HANGAR_FLY_ORG/);
      expect(await appEvents(app)).toEqual([]);
      expect(proxy.seen.slice(before).filter((s) => s.url.startsWith('/v1/apps?'))).toEqual([]);
    });
  });

  describe('a first deploy without primary_region (point 2)', () => {
    const app = `fp-region-${suffix}`;

    it('sends no region and no app creation on the machine path; fleet picks its own region', async () => {
      await cliOk(hangar, ['apps', 'create', app, '--org', 'acme']);
      const appCreatesBefore = proxy.requests('POST', /^\/v1\/apps\?/).length;
      const cwd = writeToml(app, mirrored.v1!, '\n[http_service]\ninternal_port = 8080\n');
      await cliOk(hangar, ['deploy'], { cwd, timeoutMs: 120_000 });
      expect((await settledRelease(hangar, app, 1)).status).toBe('complete');

      const creates = proxy.requests('POST', new RegExp(`^/v1/apps/${app}/machines$`));
      expect(creates).toHaveLength(2);
      for (const create of creates) expect(create.body).not.toHaveProperty('region');
      expect(proxy.requests('POST', /^\/v1\/apps\?/)).toHaveLength(appCreatesBefore);
      const machines = (await fleetMachines(hangar, app)) as unknown as { region: string }[];
      expect(machines.map((m) => m.region)).toEqual(['local', 'local']);
    }, 150_000);

    it('runs `machine run` without -r with no region either', async () => {
      await cliOk(hangar, ['machine', 'run', mirrored.v1!, '-a', app]);
      const runs = proxy.requests('POST', new RegExp(`^/v1/apps/${app}/machines$`));
      expect(runs).toHaveLength(3);
      expect(runs[2]!.body).not.toHaveProperty('region');
    }, 60_000);
  });

  describe('apps import (point 1)', () => {
    const app = `fp-imp-${suffix}`;
    const v2 = (version: number) => ({ fly_platform_version: 'v2', fly_process_group: 'app', fly_release_id: `flyrel${version}`, fly_release_version: String(version) });
    let managedIds: string[] = [];
    let unmanagedId = '';

    it('adopts the provider app: v2 machines managed at their release, the rest unmanaged', async () => {
      await fleetJson('/v1/apps', post({ name: app, org_slug: 'acme' }));
      const launch = (metadata: Record<string, string>) =>
        fleetJson<{ id: string }>(`/v1/apps/${app}/machines`, post({ region: 'local', config: { image: images.v1, metadata, restart: { policy: 'always' } } }));
      managedIds = [(await launch(v2(7))).id, (await launch(v2(6))).id].sort();
      unmanagedId = (await launch({})).id;

      const result = await cliJson<{ app: { name: string; org: string; importedVersion: number }; imported: { org: string; releaseVersion: number; managed: string[]; unmanaged: string[] } }>(hangar, [
        'apps',
        'import',
        app,
        '--json',
      ]);
      expect(result.imported).toEqual({ org: 'acme', releaseVersion: 7, managed: managedIds, unmanaged: [unmanagedId] });
      expect(result.app).toMatchObject({ name: app, org: 'acme', importedVersion: 7 });
      expect((await appEvents(app)).map((e) => e.type)).toEqual(['AppCreated', 'AppImported']);
      const status = await statusOf(hangar, app);
      expect(status.machines.filter((m) => m.managed).map((m) => [m.id, m.releaseVersion])).toEqual([
        [managedIds[0], expect.any(Number)],
        [managedIds[1], expect.any(Number)],
      ]);
    }, 60_000);

    it('then deploys v8 to the managed machines only', async () => {
      const cwd = writeToml(app, mirrored.v2!);
      await cliOk(hangar, ['deploy'], { cwd, timeoutMs: 120_000 });
      const release = await settledRelease(hangar, app, 8);
      expect(release.status).toBe('complete');
      expect((await releasesOf(hangar, app)).map((r) => r.version)).toEqual([8]);
      const machines = await fleetMachines(hangar, app);
      const byId = new Map(machines.map((m) => [m.id, m]));
      for (const id of managedIds) expect(byId.get(id)?.config.metadata?.fly_release_version).toBe('8');
      expect(byId.get(unmanagedId)?.config.image).toBe(images.v1);
      expect(byId.get(unmanagedId)?.config.metadata ?? {}).toEqual({});
      expect(machines).toHaveLength(3);
    }, 150_000);

    it('refuses an app the provider does not have, with exit 2, recording nothing', async () => {
      const missing = `fp-missing-${suffix}`;
      const result = await hangar.cli(['apps', 'import', missing]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`no app ${missing}`);
      expect(await appEvents(missing)).toEqual([]);
    });

    it('refuses to import an app Hangar already has', async () => {
      const result = await hangar.cli(['apps', 'import', app]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('already exists');
    });
  });

  describe('ips through Fly.io’s IP assignments API (point 13)', () => {
    const app = `fp-ips-${suffix}`;

    it('allocates, lists and releases through /ip_assignments, recording each change and touching no pool', async () => {
      await cliOk(hangar, ['apps', 'create', app, '--org', 'acme']);
      const v4 = (await cliJson<{ ip: { address: string; type: string; shared: boolean } }>(hangar, ['ips', 'allocate-v4', '-a', app, '--json'])).ip;
      const v6 = (await cliJson<{ ip: { address: string; type: string } }>(hangar, ['ips', 'allocate-v6', '-a', app, '--json'])).ip;
      const shared = (await cliJson<{ ip: { address: string; shared: boolean } }>(hangar, ['ips', 'allocate-v4', '--shared', '-a', app, '--json'])).ip;
      expect(v4).toMatchObject({ type: 'v4', shared: false, address: expect.stringMatching(/^198\.1[89]\./) });
      expect(v6).toMatchObject({ type: 'v6', address: expect.stringMatching(/^2001:db8:f1ee::/) });
      expect(shared).toMatchObject({ address: '203.0.113.1', shared: true });

      const listed = (await cliJson<{ ips: { address: string }[] }>(hangar, ['ips', 'list', '-a', app, '--json'])).ips.map((i) => i.address);
      expect(listed.sort()).toEqual([v4.address, v6.address, shared.address].sort());
      expect(proxy.requests('POST', new RegExp(`^/v1/apps/${app}/ip_assignments$`)).map((s) => s.body)).toEqual([{ type: 'v4' }, { type: 'v6' }, { type: 'shared_v4' }]);

      await cliOk(hangar, ['ips', 'release', v6.address, '-a', app]);
      expect(proxy.requests('DELETE', new RegExp(`^/v1/apps/${app}/ip_assignments/`)).map((s) => s.url)).toEqual([`/v1/apps/${app}/ip_assignments/${v6.address}`]);
      const after = (await fleetJson<{ ips: { ip: string }[] }>(`/v1/apps/${app}/ip_assignments`)).ips.map((i) => i.ip);
      expect(after.sort()).toEqual([v4.address, shared.address].sort());

      const events = (await appEvents(app)).map((e) => [e.type, e.data.address]);
      expect(events).toEqual([
        ['AppCreated', undefined],
        ['ProviderIpAllocated', v4.address],
        ['ProviderIpAllocated', v6.address],
        ['ProviderIpAllocated', shared.address],
        ['ProviderIpReleased', v6.address],
      ]);
      const pools = await pg.query(`SELECT 1 FROM events WHERE stream_id LIKE 'ippool-%'`);
      expect(pools.rowCount).toBe(0);
    }, 60_000);

    it('refuses to release an address the app does not have, with exit 2', async () => {
      const result = await hangar.cli(['ips', 'release', '198.51.100.77', '-a', app]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('has no IP address 198.51.100.77');
    });
  });

  describe('images Fly.io cannot pull (point 11)', () => {
    it('fails the release at plan time with a message naming the image and why, exit 1, no machine touched', async () => {
      const app = `fp-loop-${suffix}`;
      await cliOk(hangar, ['apps', 'create', app, '--org', 'acme']);
      const cwd = writeToml(app, images.v1!);
      const result = await hangar.cli(['deploy'], { cwd, timeoutMs: 120_000 });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`image ${images.v1}@sha256:`);
      expect(result.stderr).toContain(`cannot be pulled by Fly.io: its registry ${TEST_REGISTRY_HOST} is a loopback address`);
      expect((await releasesOf(hangar, app))[0]?.status).toBe('failed');
      expect(proxy.requests('POST', new RegExp(`^/v1/apps/${app}/machines`))).toEqual([]);
    }, 150_000);
  });

  describe('the provider switch (HANGAR_MACHINES_PROVIDER)', () => {
    it('stops a service at boot on a bad value, naming the variable', async () => {
      const main = join(__dirname, '..', 'dist', 'apps', 'releaser', 'main.js');
      const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', HANGAR_MACHINES_PROVIDER: 'flyio' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).not.toBe(0);
      expect(output).toContain('HANGAR_MACHINES_PROVIDER: must be fleet (the local fleet, default) or fly (Fly.io\'s Machines API); got "flyio"');
    }, 30_000);
  });
});
