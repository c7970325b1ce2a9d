import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { HttpMachinesApi, MachinesApiErrorCodes } from '@hangar/machines-api';
import { TEST_PG_ADMIN_URL, createTestDatabase, uniqueSuffix, type TestDatabase } from '@hangar/testing';
import { Client } from 'pg';
import { startFleet } from './fleet.bootstrap';
import type { FleetConfig } from './fleet.config';

describe('fleet across restarts', () => {
  let db: TestDatabase;
  let running: { app: INestApplication; url: string } | undefined;
  const app = `fleet-${uniqueSuffix()}`;

  const TOKEN = 'fleet-token';
  const start = async (over: Partial<FleetConfig> = {}) => {
    await running?.app.close();
    running = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 400, token: TOKEN, ...over });
    return new HttpMachinesApi({ baseUrl: running.url, retry: { attempts: 1 }, token: over.token ?? TOKEN });
  };

  beforeAll(async () => {
    db = await createTestDatabase('fleet_restart');
  });

  afterAll(async () => {
    await running?.app.close();
    await db?.drop();
  });

  it('keeps machines, boot progress and leases when fleet is restarted on the same database', async () => {
    let sut = await start();
    await sut.createApp(app, 'personal');
    const booting = await sut.create(app, { config: { image: 'registry.local/web:v1' } });
    const leased = await sut.create(app, { config: { image: 'registry.local/web:v1' } });
    const lease = await sut.acquireLease(app, leased.id, 60);
    expect(booting.state).toBe('starting');

    sut = await start();

    expect((await sut.list(app)).map((m) => m.id).sort()).toEqual([booting.id, leased.id].sort());
    await sut.wait(app, booting.id, { state: 'started', instanceId: booting.instance_id, timeoutSec: 5 });
    const events = (await sut.get(app, booting.id)).events ?? [];
    expect(events.find((e) => e.type === 'start')?.timestamp).toBeGreaterThanOrEqual(Date.parse(booting.created_at) + 400);
    await expect(sut.acquireLease(app, leased.id, 10)).rejects.toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });
    await expect(sut.update(app, leased.id, { config: { image: 'registry.local/web:v2' } })).rejects.toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });
    await sut.releaseLease(app, leased.id, lease.nonce);
  });

  it('always requires the bearer token, except on /healthz', async () => {
    const authed = await start();
    const anonymous = new HttpMachinesApi({ baseUrl: running!.url, retry: { attempts: 1 } });
    const wrong = new HttpMachinesApi({ baseUrl: running!.url, retry: { attempts: 1 }, token: 'fleet-tokeN' });

    await expect(anonymous.list(app)).rejects.toMatchObject({ status: 401 });
    await expect(wrong.list(app)).rejects.toMatchObject({ status: 401 });
    expect((await fetch(`${running!.url}/fleet/v1/apps/${app}/timeline`)).status).toBe(401);
    expect(Array.isArray(await authed.list(app))).toBe(true);
    expect((await fetch(`${running!.url}/healthz`)).status).toBe(200);
  });

  it('without a configured token generates one into the state dir (0600) and requires it; production refuses to start without one', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'fleet-state-'));
    try {
      await running?.app.close();
      running = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 0, stateDir });
      const file = join(stateDir, 'machines-token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const token = readFileSync(file, 'utf8').trim();
      expect(token).toMatch(/^fleet_/);
      await expect(new HttpMachinesApi({ baseUrl: running.url, retry: { attempts: 1 } }).list(app)).rejects.toMatchObject({ status: 401 });
      expect(Array.isArray(await new HttpMachinesApi({ baseUrl: running.url, token }).list(app))).toBe(true);
      await expect(startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 0, stateDir, production: true })).rejects.toThrow(
        /HANGAR_MACHINES_API_TOKEN: is required when NODE_ENV=production/,
      );
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('has no fault API and applies no stored fault unless fault injection is on', async () => {
    let sut = await start({ faults: true });
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const add = await fetch(`${running!.url}/fleet/v1/faults`, { method: 'POST', headers, body: JSON.stringify({ match: { app, image: 'registry.local/crash' }, effect: 'crash-on-start' }) });
    expect(add.status).toBe(201);

    sut = await start();
    expect((await fetch(`${running!.url}/fleet/v1/faults`, { headers })).status).toBe(404);
    expect((await fetch(`${running!.url}/fleet/v1/faults`, { method: 'POST', headers, body: '{}' })).status).toBe(404);
    const machine = await sut.create(app, { config: { image: 'registry.local/crash:v1' } });
    await sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 30 });

    sut = await start({ faults: true });
    expect((await fetch(`${running!.url}/fleet/v1/faults`, { method: 'DELETE', headers })).status).toBe(200);
  });

  it('creates its database when it does not exist yet', async () => {
    const name = `${db.name}_fresh`;
    const fresh = await startFleet({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`, host: '127.0.0.1', port: 0, bootMs: 0, token: TOKEN });
    const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
    try {
      const sut = new HttpMachinesApi({ baseUrl: fresh.url, token: TOKEN });
      await sut.createApp(app, 'personal');
      expect(await sut.list(app)).toEqual([]);
    } finally {
      await fresh.app.close();
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
