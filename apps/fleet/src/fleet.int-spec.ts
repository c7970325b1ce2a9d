import type { INestApplication } from '@nestjs/common';
import { HttpMachinesApi, MachinesApiError, MachinesApiErrorCodes, type LaunchMachineInput, type MachineConfig } from '@hangar/machines-api';
import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@hangar/testing';
import { startFleet } from './fleet.bootstrap';

const BOOT_MS = 30;

describe('fleet through HttpMachinesApi', () => {
  let db: TestDatabase;
  let fleet: { app: INestApplication; url: string };
  let sut: HttpMachinesApi;
  const app = `fleet-${uniqueSuffix()}`;

  const config = (over: Partial<MachineConfig> = {}): MachineConfig => ({
    image: 'registry.local/web:v1',
    checks: { alive: { type: 'tcp', port: 8080 } },
    metadata: { fly_platform_version: 'v2' },
    ...over,
  });
  const TOKEN = 'fleet-int-token';
  const admin = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${fleet.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const started = async (input: LaunchMachineInput) => {
    const machine = await sut.create(app, input);
    await sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 5 });
    return machine;
  };
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as MachinesApiError);

  beforeAll(async () => {
    db = await createTestDatabase('fleet_test');
    fleet = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: BOOT_MS, token: TOKEN, faults: true });
    sut = new HttpMachinesApi({ baseUrl: fleet.url, token: TOKEN, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    await sut.createApp(app, 'personal');
  });

  afterAll(async () => {
    await fleet?.app.close();
    await db?.drop();
  });

  afterEach(async () => {
    await admin('DELETE', '/fleet/v1/faults');
  });

  it('creates a machine that boots to started with the instance id, then reports its checks passing', async () => {
    const machine = await sut.create(app, { config: config(), region: 'local' });
    expect(machine.id).toMatch(/^[0-9a-f]{14}$/);
    expect(machine.state).toBe('starting');
    expect(machine.checks).toEqual([expect.objectContaining({ name: 'alive', status: 'critical' })]);

    await sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 5 });

    const got = await sut.get(app, machine.id);
    expect(got).toMatchObject({ state: 'started', instance_id: machine.instance_id, region: 'local' });
    expect(got.checks).toEqual([expect.objectContaining({ name: 'alive', status: 'passing' })]);
    expect(got.events?.map((e) => [e.type, e.status])).toEqual([
      ['start', 'started'],
      ['launch', 'created'],
    ]);
    expect((await sut.list(app)).map((m) => m.id)).toContain(machine.id);
  });

  it('rejects an app that already exists with 409 and answers Fly-style errors', async () => {
    expect(await admin('POST', '/v1/apps', { app_name: app, org_slug: 'personal' })).toEqual({ status: 409, body: { error: `app ${app} already exists` } });
    expect(await admin('GET', `/v1/apps/${app}/machines/00000000000000`)).toEqual({ status: 404, body: { error: 'machine 00000000000000 not found' } });
    expect((await admin('POST', `/v1/apps/${app}/machines`, { config: { env: {} } })).status).toBe(400);
    await expect(sut.list(`missing-${uniqueSuffix()}`)).rejects.toMatchObject({ code: MachinesApiErrorCodes.NOT_FOUND });
  });

  it('updates in place under a lease: new instance id, re-boot, the old instance is never waited into', async () => {
    const machine = await started({ config: config() });
    const lease = await sut.acquireLease(app, machine.id, 10, 'test update');

    const updated = await sut.update(app, machine.id, { config: config({ image: 'registry.local/web:v2' }) }, lease.nonce);

    expect(updated.instance_id).not.toBe(machine.instance_id);
    expect(['replacing', 'starting']).toContain(updated.state);
    await sut.wait(app, machine.id, { state: 'started', instanceId: updated.instance_id, timeoutSec: 5 });
    const waitOld = await failure(sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 1 }));
    expect(waitOld?.code).toBe(MachinesApiErrorCodes.WAIT_TIMEOUT);
    const got = await sut.get(app, machine.id);
    expect(got.config.image).toBe('registry.local/web:v2');
    expect(got.events?.map((e) => e.type)).toEqual(['start', 'update', 'start', 'launch']);
    await sut.releaseLease(app, machine.id, lease.nonce);
  });

  it('holds leases: 409 for a second holder and for mutations without the nonce; refresh keeps the nonce', async () => {
    const machine = await started({ config: config() });
    const lease = await sut.acquireLease(app, machine.id, 10);

    const second = await failure(sut.acquireLease(app, machine.id, 10));
    expect(second).toBeInstanceOf(MachinesApiError);
    expect(second).toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD, status: 409 });
    expect(second?.message).toMatch(/lease currently held by/);
    expect(await failure(sut.update(app, machine.id, { config: config() }))).toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });
    expect(await failure(sut.stop(app, machine.id, 'wrong-nonce'))).toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });
    expect(await failure(sut.cordon(app, machine.id))).toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });

    expect((await sut.refreshLease(app, machine.id, lease.nonce, 20)).nonce).toBe(lease.nonce);
    expect((await sut.getLease(app, machine.id))?.nonce).toBe(lease.nonce);
    await sut.releaseLease(app, machine.id, lease.nonce);
    expect(await sut.getLease(app, machine.id)).toBeNull();
    await sut.setMetadata(app, machine.id, 'owner', 'nobody');
    expect((await sut.get(app, machine.id)).config.metadata?.owner).toBe('nobody');
  });

  it('leases a machine from birth when created with lease_ttl', async () => {
    const machine = await sut.create(app, { config: config(), lease_ttl: 30 });
    expect(machine.nonce).toEqual(expect.any(String));
    expect(await failure(sut.update(app, machine.id, { config: config() }))).toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });
    await sut.update(app, machine.id, { config: config() }, machine.nonce);
  });

  it('returns the same machine for a repeated Idempotency-Key header (a fleet-only extension), even for concurrent creates', async () => {
    const key = `k-${uniqueSuffix()}`;
    const post = async (k: string) => (await admin('POST', `/v1/apps/${app}/machines`, { config: config() }, { 'idempotency-key': k })).body.id as string;
    const first = await post(key);
    const again = await post(key);
    const concurrent = await Promise.all([1, 2, 3].map(() => post(`${key}-c`)));

    expect(again).toBe(first);
    expect(new Set(concurrent).size).toBe(1);
  });

  it('does not deduplicate by the metadata the client writes, as Fly does not: the client finds its machine itself', async () => {
    const key = `m-${uniqueSuffix()}`;
    const first = await sut.create(app, { config: config() }, key);
    const second = await sut.create(app, { config: config() }, key);
    expect(second.id).not.toBe(first.id);
    expect((await sut.create(app, { config: config() }, key, { resumed: true })).id).toMatch(new RegExp(`^(${first.id}|${second.id})$`));
  });

  it('keeps checks critical on an unhealthy machine', async () => {
    await admin('POST', '/fleet/v1/faults', { match: { app, image: 'registry.local/sick' }, effect: 'unhealthy' });
    const machine = await started({ config: config({ image: 'registry.local/sick:1' }) });
    const got = await sut.get(app, machine.id);
    expect(got.state).toBe('started');
    expect(got.checks).toEqual([expect.objectContaining({ status: 'critical' })]);
  });

  it('never starts a machine that crashes on start, and records its exit code', async () => {
    await admin('POST', '/fleet/v1/faults', { match: { image: 'registry.local/crash' }, effect: 'crash-on-start', times: 1 });
    const machine = await sut.create(app, { config: config({ image: 'registry.local/crash:1' }) });

    const waited = await failure(sut.wait(app, machine.id, { state: 'started', timeoutSec: 1 }));

    expect(waited?.code).toBe(MachinesApiErrorCodes.WAIT_TIMEOUT);
    const got = await sut.get(app, machine.id);
    expect(got.state).toBe('stopped');
    expect(got.events?.[0]).toMatchObject({ type: 'exit', request: { exit_event: { exit_code: 1, requested_stop: false } } });
    expect(got.events?.some((e) => e.status === 'started')).toBe(false);
    const again = await started({ config: config({ image: 'registry.local/crash:1' }) });
    expect(again.id).not.toBe(machine.id);
  });

  it('fails an update with an update-error fault and changes nothing; the fault is used up after `times`', async () => {
    const machine = await started({ config: config() });
    await admin('POST', '/fleet/v1/faults', { match: { machineId: machine.id }, effect: 'update-error', times: 1 });

    const error = await failure(sut.update(app, machine.id, { config: config({ image: 'registry.local/web:v3' }) }));

    expect(error?.status).toBe(500);
    expect(error?.message).toMatch(/update-error/);
    expect(await sut.get(app, machine.id)).toMatchObject({ instance_id: machine.instance_id, config: { image: 'registry.local/web:v1' } });
    expect((await admin('GET', '/fleet/v1/faults')).body.faults).toEqual([expect.objectContaining({ effect: 'update-error', remaining: 0 })]);
    expect((await sut.update(app, machine.id, { config: config({ image: 'registry.local/web:v3' }) })).config.image).toBe('registry.local/web:v3');
  });

  it('stops and starts a machine', async () => {
    const machine = await started({ config: config() });
    await sut.stop(app, machine.id);
    await sut.wait(app, machine.id, { state: 'stopped', timeoutSec: 5 });
    const stopped = await sut.get(app, machine.id);
    expect(stopped.events?.slice(0, 2).map((e) => e.type)).toEqual(['exit', 'stop']);
    expect(stopped.events?.[0].request?.exit_event?.requested_stop).toBe(true);

    const updated = await sut.update(app, machine.id, { config: config({ image: 'registry.local/web:v4' }) });
    expect(updated.state).toBe('stopped');

    await sut.start(app, machine.id);
    await sut.wait(app, machine.id, { state: 'started', instanceId: updated.instance_id, timeoutSec: 5 });
  });

  it('records the signal and timeout a stop asked for, and refuses an unknown signal or a bad timeout with 400', async () => {
    const machine = await started({ config: config() });
    expect(await failure(sut.stop(app, machine.id, undefined, { signal: 'SIGNOPE' }))).toMatchObject({ status: 400 });
    expect(await failure(sut.stop(app, machine.id, undefined, { timeout: 'abc' }))).toMatchObject({ status: 400 });
    await sut.stop(app, machine.id, undefined, { signal: 'SIGTERM', timeout: '30s' });
    await sut.wait(app, machine.id, { state: 'stopped', timeoutSec: 5 });
    const stop = (await sut.get(app, machine.id)).events?.find((e) => e.type === 'stop');
    expect(stop?.request).toMatchObject({ signal: 'SIGTERM', timeout: '30s' });
  });

  it('restarts a machine under its lease: stop with the signal, then the same instance boots again', async () => {
    const machine = await started({ config: config() });
    const lease = await sut.acquireLease(app, machine.id, 30);
    expect(await failure(sut.restart(app, machine.id))).toMatchObject({ code: MachinesApiErrorCodes.LEASE_HELD });

    await sut.restart(app, machine.id, lease.nonce, { signal: 'SIGUSR1', timeout: '2' });
    await sut.wait(app, machine.id, { state: 'started', instanceId: machine.instance_id, timeoutSec: 5 });
    const events = (await sut.get(app, machine.id)).events ?? [];
    expect(events.slice(0, 4).map((e) => `${e.type}:${e.status}`)).toEqual(['start:started', 'start:starting', 'exit:stopped', 'stop:stopping']);
    expect(events[3]?.request).toMatchObject({ signal: 'SIGUSR1', timeout: '2' });
    await sut.releaseLease(app, machine.id, lease.nonce);
  });

  it('refuses to destroy a running machine without kill, then destroys it: gone from the list, GET shows destroyed', async () => {
    const machine = await started({ config: config() });
    expect((await admin('DELETE', `/v1/apps/${app}/machines/${machine.id}`)).status).toBe(412);

    await sut.destroy(app, machine.id, { force: true });
    await sut.destroy(app, machine.id, { force: true });

    expect((await sut.list(app)).map((m) => m.id)).not.toContain(machine.id);
    expect((await sut.get(app, machine.id)).state).toBe('destroyed');
    await sut.wait(app, machine.id, { state: 'destroyed', timeoutSec: 1 });
  });

  it('attaches a volume to one machine at a time and frees it on destroy', async () => {
    const volume = await sut.createVolume(app, { name: 'data', region: 'local', size_gb: 1 });
    expect(volume.id).toMatch(/^vol_[0-9a-z]{16}$/);
    const mounts = [{ volume: volume.id, path: '/data' }];
    const first = await sut.create(app, { config: config({ mounts }) });
    expect((await sut.listVolumes(app)).find((v) => v.id === volume.id)?.attached_machine_id).toBe(first.id);

    expect(await failure(sut.create(app, { config: config({ mounts }) }))).toMatchObject({ status: 422 });
    expect(await failure(sut.create(app, { config: config({ mounts }), region: 'elsewhere' }))).toMatchObject({ status: 422 });

    await sut.destroy(app, first.id, { force: true });
    expect((await sut.listVolumes(app)).find((v) => v.id === volume.id)?.attached_machine_id).toBeNull();
    const second = await sut.create(app, { config: config({ mounts }) });
    expect(second.region).toBe('local');
  });

  it('destroys a volume only once no live machine has it, then neither lists nor attaches it', async () => {
    const volume = await sut.createVolume(app, { name: 'gone', region: 'local', size_gb: 1 });
    const holder = await sut.create(app, { config: config({ mounts: [{ volume: volume.id, path: '/data' }] }) });
    expect(await failure(sut.destroyVolume(app, volume.id))).toMatchObject({ status: 422 });

    await sut.destroy(app, holder.id, { force: true });
    await sut.destroyVolume(app, volume.id);
    expect((await sut.listVolumes(app)).map((v) => v.id)).not.toContain(volume.id);
    expect(await failure(sut.destroyVolume(app, volume.id))).toMatchObject({ status: 404 });
    expect(await failure(sut.create(app, { config: config({ mounts: [{ volume: volume.id, path: '/data' }] }) }))).toMatchObject({ status: 422 });
  });

  it('runs release-command machines: exit code and logs from an exit fault, exit 0 otherwise, then auto-destroys', async () => {
    await admin('POST', '/fleet/v1/faults', { match: { app, command: 'bin/migrate' }, effect: 'exit', code: 3, logs: ['migrating', 'boom'] });
    const job = (cmd: string[]) => ({
      config: config({ init: { cmd }, auto_destroy: true, restart: { policy: 'no' as const }, checks: undefined }),
      skip_launch: true,
    });
    const failing = await sut.create(app, job(['bin/migrate', '--all']));
    const passing = await sut.create(app, job(['bin/seed']));
    expect(failing.state).toBe('created');

    for (const m of [failing, passing]) {
      await sut.start(app, m.id);
      await sut.wait(app, m.id, { state: 'destroyed', timeoutSec: 5 });
    }

    const { body } = await admin('GET', `/fleet/v1/apps/${app}/timeline?machine_id=${failing.id}`);
    const events = body.events as { type: string; timestamp: number; request?: { exit_event?: { exit_code: number } } }[];
    expect(events.map((e) => e.type)).toEqual(['launch', 'start', 'start', 'exit', 'destroy']);
    expect(events[3].request?.exit_event?.exit_code).toBe(3);
    expect(events.map((e) => e.timestamp)).toEqual([...events.map((e) => e.timestamp)].sort((a, b) => a - b));
    expect(await sut.logs(app, failing.id)).toEqual({ available: true, lines: ['migrating', 'boom'] });
    const passed = (await sut.get(app, passing.id)).events?.find((e) => e.type === 'exit');
    expect(passed?.request?.exit_event?.exit_code).toBe(0);
  });
});
