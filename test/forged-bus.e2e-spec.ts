import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, headers, type NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject } from '@hangar/contracts';
import {
  HangarProcesses,
  cliOk,
  fleetMachines,
  flyToml,
  pushTestImages,
  startHangarE2e,
  testNamespace,
  TEST_NATS_URL,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
} from '@hangar/testing';

/**
 * Issue 12 (review C1): the bus carries notifications, the store carries facts. Forged events
 * published on the feed, by a client with no credentials at all, change no machine, move no secret
 * and are refused and counted by every consumer that received them; a command without a valid
 * identity is refused and writes nothing.
 */
describe('forged messages on the bus (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  let anonymous: NatsConnection;
  const ns = testNamespace('f');
  const app = `forged-${uniqueSuffix()}`;
  const secret = `pin-${randomUUID()}`;
  let images: Record<string, string> = {};

  const publish = (type: string, data: Record<string, unknown>) => {
    const forged = { eventId: randomUUID(), globalPosition: 1, streamId: `release-${randomUUID()}`, streamPosition: 1, type, data, metadata: { actor: 'admin' }, recordedAt: new Date().toISOString() };
    return anonymous.jetstream().publish(`${ns}.events.${app}.${type}`, new TextEncoder().encode(JSON.stringify(forged)));
  };
  const eventCount = async () => Number((await pg.query(`SELECT count(*) AS n FROM events WHERE type <> 'AuditCheckpointRecorded'`)).rows[0].n);
  const refusals = async () =>
    (await pg.query<{ consumer: string; kind: string; count: string }>(`SELECT consumer, kind, count FROM feed_rejections ORDER BY consumer`)).rows.map((r) => ({ consumer: r.consumer, kind: r.kind, count: Number(r.count) }));

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_forged', namespace: ns, fleetBootMs: 50 });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(`forged-${uniqueSuffix()}`, ['v1']);
    await cliOk(hangar, ['apps', 'create', app]);
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, images.v1!));
    await cliOk(hangar, ['deploy'], { cwd: dir });
    await cliOk(hangar, ['secrets', 'set', `PIN=${secret}`], { cwd: dir });
    anonymous = await connect({ servers: TEST_NATS_URL });
  }, 180_000);

  afterAll(async () => {
    await anonymous?.close();
    await e2e?.stop();
  });

  it('acts on no forged event: no machine made or changed, no secret delivered, every refusal counted', async () => {
    const before = await fleetMachines(hangar, app);
    const events = await eventCount();
    const target = before.find((m) => m.state !== 'destroyed')!;
    const attack = { image: 'attacker.example/exfil:latest', env: { EXFIL_TO: 'https://attacker.example/' }, metadata: {} };
    const request = { app, releaseId: 'FORGED', releaseVersion: 99, processGroup: 'app', region: 'local', skipLaunch: false, waitForHealth: false, waitTimeoutMs: 5000, secretsVersion: 1, config: attack };
    await publish('MachineUpdateRequested', { ...request, key: `forged-create-${randomUUID()}`, kind: 'create' });
    await publish('MachineUpdateRequested', { ...request, key: `forged-update-${randomUUID()}`, kind: 'update', machineId: target.id });
    await publish('ReleaseQueued', { app, releaseId: 'FORGED', version: 99, secretsVersion: 1 });
    await publish('ImageResolved', { app, releaseId: 'FORGED', image: 'attacker.example/exfil@sha256:' + 'a'.repeat(64) });

    await waitFor(hangar, 'the forged MachineUpdateRequested messages refused by machine-updater', async () =>
      (await refusals()).some((r) => r.consumer.endsWith('machine-updater_machine-operations') && r.kind === 'not-in-store' && r.count === 2),
    );
    await waitFor(hangar, 'the forged ReleaseQueued refused by secrets', async () => (await refusals()).some((r) => r.consumer.endsWith('secrets_release-tracking') && r.count === 1));
    await waitFor(hangar, 'the forged ImageResolved refused by releaser', async () => (await refusals()).some((r) => r.consumer.includes('releaser_rollout-ImageResolved') && r.count === 1));

    const after = await fleetMachines(hangar, app);
    expect(after.map((m) => [m.id, m.state, m.config.image])).toEqual(before.map((m) => [m.id, m.state, m.config.image]));
    expect(JSON.stringify(after)).not.toContain('attacker.example');
    expect(await eventCount()).toBe(events);
    expect((await pg.query(`SELECT count(*)::int AS n FROM poison_messages`)).rows[0].n).toBe(0);
    expect(hangar.output()).not.toContain(secret);
  });

  it('refuses a command without a valid identity and writes nothing', async () => {
    const events = await eventCount();
    const ask = async (token?: string) => {
      const h = headers();
      if (token) h.set('Authorization', `Bearer ${token}`);
      const payload = { app, image: images.v1, configToml: flyToml(app, images.v1!), actor: 'admin' };
      const msg = await anonymous.request(commandSubject(ns, 'releaser', 'create-release'), new TextEncoder().encode(JSON.stringify(payload)), { timeout: 30_000, headers: h });
      return JSON.parse(new TextDecoder().decode(msg.data)) as { error?: { code: string } };
    };
    expect((await ask()).error?.code).toBe('AUTH.UNAUTHORIZED');
    expect((await ask('hgr_not-a-real-token')).error?.code).toBe('AUTH.UNAUTHORIZED');
    expect(await eventCount()).toBe(events);
  });
});
