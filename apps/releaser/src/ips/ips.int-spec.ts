import type { INestMicroservice } from '@nestjs/common';
import { eventsStreamName } from '@hangar/contracts';
import { createEventStore, type EventStoreHandle } from '@hangar/event-store';
import { CommandClient, prepareHangarDatabase, startService } from '@hangar/messaging';
import { createTestDatabase, TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, testNamespace, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { connect, type NatsConnection } from 'nats';
import { releaserConfig } from '../releaser.config';
import { ReleaserModule } from '../releaser.module';

jest.setTimeout(120_000);

interface Ip {
  address: string;
  type: 'v4' | 'v6';
  shared: boolean;
}

/**
 * IP allocation through real NATS and Postgres, against two releaser replicas sharing one pool:
 * concurrent requests never get the same address, an exhausted pool says so, and nothing of it
 * is a release (DESIGN §6.6).
 */
describe('releaser IP commands (integration)', () => {
  const ns = testNamespace('ip');
  const token = `ips-int-test-token-${ns}`;
  let db: TestDatabase;
  let nc: NatsConnection;
  let es: EventStoreHandle;
  let commands: CommandClient;
  const replicas: INestMicroservice[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('hangar_ips');
    await prepareHangarDatabase(db.url);
    // A /26: 62 usable, the first is the shared one, 61 dedicated.
    const config = releaserConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: ns, HANGAR_IPV4_POOL: '198.51.100.0/26', HANGAR_IPV6_POOL: '2001:db8:7::/120', HANGAR_ADMIN_TOKEN: token });
    for (let i = 0; i < 2; i++) replicas.push(await startService(ReleaserModule.forRoot(config), { nats: TEST_NATS_ENDPOINT, ns, service: 'releaser' }));
    nc = await connect({ servers: TEST_NATS_URL });
    commands = new CommandClient(nc, ns);
    es = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 2 });
    // As `apps create` records them (which also needs machine-updater, for the provider's app: not under test here).
    for (const app of ['ips-a', 'ips-b']) {
      const created = { app, platformVersion: 'v2', createdAt: new Date().toISOString(), provider: 'fleet', org: 'personal', providerApp: 'created' };
      await es.store.append(`app-${app}`, [{ type: 'AppCreated', data: created, metadata: { actor: 'test' } }], { expectedVersion: 'NO_STREAM' });
    }
  });

  afterAll(async () => {
    for (const r of replicas) await r.close();
    const jsm = await nc?.jetstreamManager();
    await jsm?.streams.delete(eventsStreamName(ns)).catch(() => undefined);
    await nc?.close();
    await es?.close();
    await db?.drop();
  });

  const allocate = (app: string, type: 'v4' | 'v6', shared = false) =>
    commands.request<{ ip: Ip }>('releaser', 'allocate-ip', { app, type, ...(shared ? { shared } : {}) }, { timeoutMs: 30_000 }).then((r) => r.ip);

  it('hands out 30 distinct addresses to 30 concurrent requests across two replicas, and no release', async () => {
    const ips = await Promise.all(Array.from({ length: 30 }, (_, i) => allocate(i % 2 ? 'ips-a' : 'ips-b', 'v4')));
    const addresses = ips.map((ip) => ip.address);
    expect(new Set(addresses).size).toBe(30);
    expect(addresses).not.toContain('198.51.100.1');
    expect(addresses.every((a) => /^198\.51\.100\.\d+$/.test(a))).toBe(true);

    const pool = await es.store.readStream('ippool-v4');
    expect(pool.map((e) => e.type)).toEqual(Array(30).fill('IpAddressClaimed'));
    const appA = await es.store.readStream('app-ips-a');
    expect(appA.filter((e) => e.type === 'IpAllocated')).toHaveLength(15);
    expect(appA.some((e) => e.type === 'ReleaseEnqueued')).toBe(false);
    const listed = await commands.request<{ ips: Ip[] }>('releaser', 'list-ips', { app: 'ips-a' });
    expect(listed.ips.map((i) => i.address).sort()).toEqual(ips.filter((_, i) => i % 2).map((i) => i.address).sort());
  });

  it('runs the pool dry with a clear error, then reuses a released address', async () => {
    const rest = await Promise.all(Array.from({ length: 31 }, () => allocate('ips-b', 'v4')));
    const all = new Set([...(await commands.request<{ ips: Ip[] }>('releaser', 'list-ips', { app: 'ips-a' })).ips, ...(await commands.request<{ ips: Ip[] }>('releaser', 'list-ips', { app: 'ips-b' })).ips].map((i) => i.address));
    expect(all.size).toBe(61);
    await expect(allocate('ips-a', 'v4')).rejects.toMatchObject({ code: 'IP.POOL_EXHAUSTED', message: expect.stringContaining('198.51.100.0/26 has no free address') });

    const freed = rest[0]!.address;
    await expect(commands.request('releaser', 'release-ip', { app: 'ips-a', address: freed })).rejects.toMatchObject({ code: 'IP.NOT_FOUND' });
    await commands.request('releaser', 'release-ip', { app: 'ips-b', address: freed });
    expect((await allocate('ips-a', 'v4')).address).toBe(freed);
  });

  it('gives every asking app the same shared IPv4, and dedicated IPv6 addresses', async () => {
    const [a, b] = await Promise.all([allocate('ips-a', 'v4', true), allocate('ips-b', 'v4', true)]);
    expect(a).toMatchObject({ address: '198.51.100.1', shared: true });
    expect(b).toMatchObject({ address: '198.51.100.1', shared: true });
    await expect(allocate('ips-a', 'v4', true)).rejects.toMatchObject({ code: 'IP.ALREADY_ALLOCATED' });
    const v6 = await Promise.all(Array.from({ length: 10 }, () => allocate('ips-a', 'v6')));
    expect(new Set(v6.map((i) => i.address)).size).toBe(10);
    expect(v6.map((i) => i.address)).toContain('2001:db8:7::1');
  });

  it('rejects bad requests without writing anything', async () => {
    const before = (await es.store.readStream('app-ips-a')).length;
    await expect(commands.request('releaser', 'allocate-ip', { app: 'ips-a', type: 'v5' })).rejects.toMatchObject({ code: 'REQUEST.INVALID' });
    await expect(commands.request('releaser', 'allocate-ip', { app: 'nope', type: 'v4' })).rejects.toMatchObject({ code: 'RELEASE.APP_NOT_FOUND' });
    await expect(commands.request('releaser', 'release-ip', { app: 'ips-a', address: 'not-an-ip' })).rejects.toMatchObject({ code: 'REQUEST.INVALID' });
    expect((await es.store.readStream('app-ips-a')).length).toBe(before);
  });
});
