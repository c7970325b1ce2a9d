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

  const start = async (over: Partial<FleetConfig> = {}) => {
    await running?.app.close();
    running = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 400, ...over });
    return new HttpMachinesApi({ baseUrl: running.url, retry: { attempts: 1 }, ...(over.token ? { token: over.token } : {}) });
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
    await sut.createApp(app);
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

  it('requires the bearer token when one is configured, except on /healthz', async () => {
    const authed = await start({ token: 'fleet-token' });
    const anonymous = new HttpMachinesApi({ baseUrl: running!.url, retry: { attempts: 1 } });

    await expect(anonymous.list(app)).rejects.toMatchObject({ status: 401 });
    expect(Array.isArray(await authed.list(app))).toBe(true);
    expect((await fetch(`${running!.url}/healthz`)).status).toBe(200);
  });

  it('creates its database when it does not exist yet', async () => {
    const name = `${db.name}_fresh`;
    const fresh = await startFleet({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`, host: '127.0.0.1', port: 0, bootMs: 0 });
    const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
    try {
      const sut = new HttpMachinesApi({ baseUrl: fresh.url });
      await sut.createApp(app);
      expect(await sut.list(app)).toEqual([]);
    } finally {
      await fresh.app.close();
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
