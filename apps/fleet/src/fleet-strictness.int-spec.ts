import type { INestApplication } from '@nestjs/common';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpMachinesApi, type MachineConfig } from '@hangar/machines-api';
import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@hangar/testing';
import { startFleet } from './fleet.bootstrap';
import { fleetConfig } from './fleet.config';

const TOKEN = 'fleet-strict-token';

/** Fleet answering as strictly as Fly (issue 14): unreachable hosts, 429s, regions, durations, leases, auth schemes. */
describe('fleet as strict as the Fly Machines API', () => {
  let db: TestDatabase;
  let fleet: { app: INestApplication; url: string };
  let sut: HttpMachinesApi;
  const record = join(tmpdir(), `fleet-record-${uniqueSuffix()}.ndjson`);
  const app = `strict-${uniqueSuffix()}`;
  const config = (over: Partial<MachineConfig> = {}): MachineConfig => ({ image: 'registry.local/web:v1', metadata: { fly_platform_version: 'v2' }, ...over });
  const raw = async (method: string, path: string, body?: unknown, authorization = `Bearer ${TOKEN}`) => {
    const res = await fetch(`${fleet.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await createTestDatabase('fleet_strict');
    const env = { DATABASE_URL: db.url, HANGAR_FLEET_REGIONS: 'ams,iad', HANGAR_FLEET_RATE_LIMIT: '2/2', HANGAR_FLEET_RECORD: record, HANGAR_MACHINES_API_TOKEN: TOKEN, HANGAR_FLEET_FAULTS: '1' };
    fleet = await startFleet({ ...fleetConfig(env), host: '127.0.0.1', port: 0, bootMs: 20 });
    sut = new HttpMachinesApi({ baseUrl: fleet.url, token: TOKEN, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    await sut.createApp(app, 'personal');
  });

  afterAll(async () => {
    await fleet?.app.close();
    await db?.drop();
    rmSync(record, { force: true });
  });

  afterEach(() => raw('DELETE', '/fleet/v1/faults'));

  it('reads HANGAR_FLEET_RATE_LIMIT and HANGAR_FLEET_REGIONS, and refuses bad values naming the variable', () => {
    expect(fleetConfig({ HANGAR_FLEET_RATE_LIMIT: '1/3', HANGAR_FLEET_REGIONS: 'ams, iad' })).toMatchObject({ rateLimit: { perSec: 1, burst: 3 }, regions: ['ams', 'iad'] });
    expect(fleetConfig({})).not.toHaveProperty('rateLimit');
    expect(() => fleetConfig({ HANGAR_FLEET_RATE_LIMIT: 'fast' })).toThrow(/HANGAR_FLEET_RATE_LIMIT/);
    expect(() => fleetConfig({ HANGAR_FLEET_REGIONS: 'AMS!' })).toThrow(/HANGAR_FLEET_REGIONS/);
  });

  it('refuses an unknown region for machines and volumes, and defaults to its first region', async () => {
    expect(await raw('POST', `/v1/apps/${app}/machines`, { config: config(), region: 'local' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/invalid region "local"/) } });
    expect(await raw('POST', `/v1/apps/${app}/volumes`, { name: 'data', region: 'local' })).toMatchObject({ status: 400 });
    expect((await sut.create(app, { config: config() })).region).toBe('ams');
  });

  it('refuses a mount without a volume and a duration that is not one', async () => {
    expect(await raw('POST', `/v1/apps/${app}/machines`, { config: config({ mounts: [{ path: '/data' }] }) })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/volume/) } });
    const bad = await raw('POST', `/v1/apps/${app}/machines`, { config: config({ checks: { alive: { type: 'tcp', port: 80, interval: '10' } } }) });
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringMatching(/config\.checks\.alive\.interval must be a duration/) } });
    const good = await sut.create(app, { config: config({ checks: { alive: { type: 'tcp', port: 80, interval: '15s', timeout: '2s', grace_period: '1m30s' } }, stop_config: { timeout: '5s', signal: 'SIGINT' } }) });
    expect(good.config.checks?.alive).toMatchObject({ interval: '15s', timeout: '2s', grace_period: '1m30s' });
    expect(good.config.stop_config).toEqual({ timeout: '5s', signal: 'SIGINT' });
  });

  it('answers the lease as { status, data }', async () => {
    const m = await sut.create(app, { config: config() });
    const lease = await raw('POST', `/v1/apps/${app}/machines/${m.id}/lease?ttl=10`, {});
    expect(lease).toMatchObject({ status: 200, body: { status: 'success', data: { nonce: expect.any(String), expires_at: expect.any(Number) } } });
  });

  it('accepts its token with the Bearer or the FlyV1 scheme, and nothing else', async () => {
    expect((await raw('GET', `/v1/apps/${app}/machines`, undefined, `FlyV1 ${TOKEN}`)).status).toBe(200);
    expect((await raw('GET', `/v1/apps/${app}/machines`, undefined, `Bearer ${TOKEN}`)).status).toBe(200);
    expect((await raw('GET', `/v1/apps/${app}/machines`, undefined, `Basic ${TOKEN}`)).status).toBe(401);
    expect((await raw('GET', `/v1/apps/${app}/machines`, undefined, 'FlyV1 wrong')).status).toBe(401);
  });

  it('answers 429 with Retry-After beyond the per-machine rate, per action, and the client waits it out', async () => {
    const m = await sut.create(app, { config: config() });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push(await raw('GET', `/v1/apps/${app}/machines/${m.id}`));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 429, 429]);
    expect(Number(statuses[2].retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await raw('POST', `/v1/apps/${app}/machines/${m.id}/cordon`, {})).status).toBe(200);

    const startedAt = Date.now();
    expect((await sut.get(app, m.id)).id).toBe(m.id);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
  });

  it('answers a machine on an unreachable host without config and refuses calls on it', async () => {
    const m = await sut.create(app, { config: config() });
    await sut.wait(app, m.id, { state: 'started', timeoutSec: 5 });
    expect((await raw('POST', '/fleet/v1/faults', { match: { machineId: m.id }, effect: 'host-unreachable' })).status).toBe(201);

    const wire = await raw('GET', `/v1/apps/${app}/machines/${m.id}`);
    expect(wire.body).not.toHaveProperty('config');
    expect(wire.body).toMatchObject({ host_status: 'unreachable', incomplete_config: { image: 'registry.local/web:v1', metadata: { fly_platform_version: 'v2' } } });
    const listed = ((await raw('GET', `/v1/apps/${app}/machines`)).body as unknown as { id: string; config?: unknown }[]).find((x) => x.id === m.id);
    expect(listed).not.toHaveProperty('config');
    expect((await raw('POST', `/v1/apps/${app}/machines/${m.id}/lease?ttl=10`, {})).status).toBe(503);
    expect((await raw('POST', `/v1/apps/${app}/machines/${m.id}/stop`, {})).status).toBe(503);

    expect((await sut.get(app, m.id)).config.metadata).toEqual({ fly_platform_version: 'v2' });
    await raw('DELETE', '/fleet/v1/faults');
    expect(await sut.get(app, m.id)).toMatchObject({ host_status: 'ok', config: { image: 'registry.local/web:v1' } });
    expect((await sut.get(app, m.id)).incomplete_config).toBeUndefined();
  });

  it('records every exchange with the auth scheme but never the token or env values', async () => {
    await sut.create(app, { config: config({ env: { SECRET: 'hunter2' } }) });
    const text = readFileSync(record, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('hunter2');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { method: string; path: string; request: { authScheme?: string } });
    expect(lines.some((l) => l.method === 'POST' && l.path === `/v1/apps/${app}/machines`)).toBe(true);
    expect(lines.some((l) => l.path === '/fleet/v1/faults')).toBe(true);
    expect(new Set(lines.map((l) => l.request.authScheme))).toEqual(new Set(['Bearer', 'FlyV1', 'Basic']));
  });
});
