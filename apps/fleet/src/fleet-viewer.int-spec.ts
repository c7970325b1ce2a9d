import type { INestApplication } from '@nestjs/common';
import { HttpMachinesApi, type MachineConfig } from '@hangar/machines-api';
import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@hangar/testing';
import { startFleet } from './fleet.bootstrap';

const TOKEN = 'fleet-viewer-int-full-token';
const VIEWER = 'fleet-viewer-int-read-token';
const SECRETS = { PIN: '1234-viewer-pin', DB_PASS: 'hunter2-viewer' };

/** Review H1: `HANGAR_FLEET_VIEWER_TOKEN` reads machines with their secrets redacted, and changes nothing. */
describe('fleet viewer token', () => {
  let db: TestDatabase;
  let fleet: { app: INestApplication; url: string };
  let sut: HttpMachinesApi;
  const app = `viewer-${uniqueSuffix()}`;
  const config: MachineConfig = { image: 'registry.local/web:v1', env: { ...SECRETS, PRIMARY_REGION: 'local' }, metadata: { fly_platform_version: 'v2' } };

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fleet.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, body: (text ? JSON.parse(text) : undefined) as any };
  };

  beforeAll(async () => {
    db = await createTestDatabase('fleet_viewer_test');
    fleet = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 10, token: TOKEN, viewerToken: VIEWER, faults: true });
    sut = new HttpMachinesApi({ baseUrl: fleet.url, token: TOKEN, retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 } });
    await sut.createApp(app, 'personal');
  });

  afterAll(async () => {
    await fleet?.app.close();
    await db?.drop();
  });

  it('reads machines with every env value redacted (names kept) and lease nonces hidden; the full token still sees them', async () => {
    const machine = await sut.create(app, { config, region: 'local' });
    await sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 5 });
    const lease = await sut.acquireLease(app, machine.id, 30, 'viewer test');

    const redactedEnv = { PIN: '<redacted>', DB_PASS: '<redacted>', PRIMARY_REGION: '<redacted>' };
    const list = await call(VIEWER, 'GET', `/v1/apps/${app}/machines`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ id: machine.id, state: 'started', config: expect.objectContaining({ image: config.image, env: redactedEnv }) })]);
    const one = await call(VIEWER, 'GET', `/v1/apps/${app}/machines/${machine.id}`);
    expect(one.body.config).toEqual({ ...config, env: redactedEnv });
    const leased = await call(VIEWER, 'GET', `/v1/apps/${app}/machines/${machine.id}/lease`);
    expect(leased.body.data).toMatchObject({ nonce: '<redacted>', description: 'viewer test' });
    const timeline = await call(VIEWER, 'GET', `/fleet/v1/apps/${app}/timeline`);
    expect(timeline.status).toBe(200);
    for (const answer of [list, one, leased, timeline]) {
      for (const secret of [...Object.values(SECRETS), lease.nonce]) expect(answer.text).not.toContain(secret);
    }
    expect((await call(VIEWER, 'GET', `/v1/apps/${app}/machines/${machine.id}/wait?state=started&timeout=1`)).status).toBe(200);

    expect((await sut.get(app, machine.id)).config.env).toEqual(config.env);
    expect((await sut.getLease(app, machine.id))?.nonce).toBe(lease.nonce);
    await sut.releaseLease(app, machine.id, lease.nonce);
  });

  it('may not change anything: every mutation is 403 and leaves the machine as it was; an unknown token is 401', async () => {
    const machine = await sut.create(app, { config, region: 'local' });
    await sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 5 });
    const base = `/v1/apps/${app}/machines`;
    const mutations: [string, string, unknown?][] = [
      ['POST', '/v1/apps', { app_name: `other-${uniqueSuffix()}`, org_slug: 'personal' }],
      ['POST', base, { config }],
      ['POST', `${base}/${machine.id}`, { config: { ...config, image: 'registry.local/web:evil' } }],
      ['POST', `${base}/${machine.id}/stop`],
      ['POST', `${base}/${machine.id}/cordon`],
      ['POST', `${base}/${machine.id}/lease`, { ttl: 30 }],
      ['POST', `${base}/${machine.id}/metadata/owner`, { value: 'viewer' }],
      ['DELETE', `${base}/${machine.id}?kill=true`],
      ['POST', `/v1/apps/${app}/volumes`, { name: 'data', region: 'local', size_gb: 1 }],
      ['POST', '/fleet/v1/faults', { match: { app }, effect: 'crash-on-start' }],
      ['DELETE', '/fleet/v1/faults'],
    ];
    for (const [method, path, body] of mutations) {
      const res = await call(VIEWER, method, path, body);
      expect([method, path, res.status, res.body]).toEqual([method, path, 403, { error: `forbidden: the fleet viewer token may only read (GET); ${method} needs the machines API token` }]);
    }
    expect((await call('not-a-fleet-token-at-all', 'GET', base)).status).toBe(401);

    const after = await sut.get(app, machine.id);
    expect(after).toMatchObject({ state: 'started', cordoned: false, instance_id: machine.instance_id, config: { image: config.image, metadata: config.metadata } });
    expect(await sut.getLease(app, machine.id)).toBeNull();
    expect((await sut.list(app)).filter((m) => m.id !== machine.id).every((m) => m.config.image === config.image)).toBe(true);
    expect((await call(TOKEN, 'GET', `/v1/apps/${app}/volumes`)).body).toEqual([]);
  });
});
