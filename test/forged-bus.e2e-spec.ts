import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, headers, type NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject, durableName, eventsStreamName } from '@hangar/contracts';
import {
  HangarProcesses,
  cliJson,
  cliOk,
  fleetMachines,
  flyToml,
  natsCommand,
  natsPublisher,
  pushTestImages,
  startHangarE2e,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
} from '@hangar/testing';

/**
 * Issue 12 (review C1, C2, M3): the bus carries notifications, the store carries facts, and no
 * credential crosses NATS. Hangar runs here on its own nats-server configured by `hangar nats init`:
 * services with their own nkeys, a read-only feed reader `feed`, outside publishers `ci` (bound to a
 * deploy token) and `stranger` (bound to nothing).
 */
describe('forged messages and eavesdroppers on the bus (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  const ns = testNamespace('f');
  const app = `forged-${uniqueSuffix()}`;
  const secret = `pin-${randomUUID()}`;
  const stream = eventsStreamName(ns);
  let images: Record<string, string> = {};
  const conns: NatsConnection[] = [];

  const forgedEvent = (type: string, data: Record<string, unknown>) =>
    new TextEncoder().encode(JSON.stringify({ eventId: randomUUID(), globalPosition: 1, streamId: `release-${randomUUID()}`, streamPosition: 1, type, data, metadata: { actor: 'admin' }, recordedAt: new Date().toISOString() }));
  const eventCount = async () => Number((await pg.query(`SELECT count(*) AS n FROM events WHERE type <> 'AuditCheckpointRecorded'`)).rows[0].n);
  const refusals = async () =>
    (await pg.query<{ consumer: string; kind: string; count: string }>(`SELECT consumer, kind, count FROM feed_rejections ORDER BY consumer`)).rows.map((r) => ({ consumer: r.consumer, kind: r.kind, count: Number(r.count) }));
  const connectAs = async (identity: string) => {
    const nc = await hangar.natsConnect(identity);
    conns.push(nc);
    return nc;
  };
  const streamMessages = async () => (await (await connectAs('releaser')).jetstreamManager()).streams.info(stream).then((i) => i.state.messages);

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_forged', namespace: ns, fleetBootMs: 50, nats: { publishers: ['ci', 'stranger'], feedReaders: ['feed'] } });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(`forged-${uniqueSuffix()}`, ['v1', 'v2']);
    await cliOk(hangar, ['apps', 'create', app]);
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, images.v1!));
    await cliOk(hangar, ['deploy'], { cwd: dir });
    await cliOk(hangar, ['secrets', 'set', `PIN=${secret}`], { cwd: dir });
  }, 180_000);

  afterAll(async () => {
    for (const nc of conns) await nc.close().catch(() => undefined);
    await e2e?.stop();
  });

  it('lets no one in without credentials', async () => {
    await expect(hangar.natsConnect(undefined)).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });

  it('refuses forged events from the feed reader and publishers at the server; acts on none published with a service key, counting each', async () => {
    const before = await fleetMachines(hangar, app);
    const events = await eventCount();
    const target = before.find((m) => m.state !== 'destroyed')!;
    const attack = { image: 'attacker.example/exfil:latest', env: { EXFIL_TO: 'https://attacker.example/' }, metadata: {} };
    const request = { app, releaseId: 'FORGED', releaseVersion: 99, processGroup: 'app', region: 'local', skipLaunch: false, waitForHealth: false, waitTimeoutMs: 5000, secretsVersion: 1, config: attack };
    const create = () => forgedEvent('MachineUpdateRequested', { ...request, key: `forged-create-${randomUUID()}`, kind: 'create' });
    const subject = (type: string) => `${ns}.events.${app}.${type}`;
    const messagesBefore = await streamMessages();

    // Review rows 78, 84: neither the feed reader nor an outside publisher may write the feed.
    for (const identity of ['feed', 'ci', 'stranger']) {
      const nc = await connectAs(identity);
      await expect(nc.jetstream({ timeout: 2000 }).publish(subject('MachineUpdateRequested'), create())).rejects.toThrow();
    }
    expect(await streamMessages()).toBe(messagesBefore);

    // Review row 85: whoever holds a service's key can write the feed, and still drives nothing.
    const leaked = (await connectAs('builder')).jetstream();
    await leaked.publish(subject('MachineUpdateRequested'), create());
    await leaked.publish(subject('MachineUpdateRequested'), forgedEvent('MachineUpdateRequested', { ...request, key: `forged-update-${randomUUID()}`, kind: 'update', machineId: target.id }));
    await leaked.publish(subject('ReleaseQueued'), forgedEvent('ReleaseQueued', { app, releaseId: 'FORGED', version: 99, secretsVersion: 1 }));
    await leaked.publish(subject('ImageResolved'), forgedEvent('ImageResolved', { app, releaseId: 'FORGED', image: 'attacker.example/exfil@sha256:' + 'a'.repeat(64) }));

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

  it('refuses a command without a valid identity, even one carrying the admin token, and writes nothing; counts each', async () => {
    const events = await eventCount();
    const payload = new TextEncoder().encode(JSON.stringify({ app, image: images.v2, configToml: flyToml(app, images.v2!), actor: 'admin' }));
    const createRelease = commandSubject(ns, 'releaser', 'create-release');
    const ask = async (nc: NatsConnection, token?: string) => {
      const h = headers();
      if (token) h.set('Authorization', `Bearer ${token}`);
      const msg = await nc.request(createRelease, payload, { timeout: 30_000, headers: h });
      return JSON.parse(new TextDecoder().decode(msg.data)) as { error?: { code: string; message: string } };
    };
    const stranger = await connectAs('stranger');
    expect((await ask(stranger)).error).toMatchObject({ code: 'AUTH.UNAUTHORIZED', message: expect.stringContaining(hangar.natsServer!.publicKey('stranger')) });
    expect((await ask(stranger, hangar.adminToken)).error).toMatchObject({ code: 'AUTH.UNAUTHORIZED', message: expect.stringContaining('do not take tokens') });
    // The feed reader may not even send one.
    await expect((await connectAs('feed')).request(createRelease, payload, { timeout: 2000 })).rejects.toThrow();
    expect(await eventCount()).toBe(events);
    const counted = (await refusals()).filter((r) => r.consumer === 'commands:releaser');
    expect(counted).toEqual(expect.arrayContaining([{ consumer: 'commands:releaser', kind: 'unbound-nats-user', count: 1 }, { consumer: 'commands:releaser', kind: 'token-header', count: 1 }]));
  });

  it('shows no token and no secret value to any credential a non-service holder can have, subscribed to everything it may', async () => {
    const seen: string[] = [];
    const denied: string[] = [];
    const listen = (nc: NatsConnection, who: string, subject: string) =>
      nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) denied.push(`${who} ${subject}`);
          else seen.push(`${msg.subject} ${new TextDecoder().decode(msg.data)} ${msg.headers ? [...msg.headers].join(' ') : ''}`);
        },
      });
    const feed = await connectAs('feed');
    const stranger = await connectAs('stranger');
    const ci = await natsPublisher(hangar, 'ci', [`app:${app}:deploy`]);
    conns.push(ci);
    const wide = ['>', '_INBOX.>', '_INBOX_gateway.>', `${ns}.cmd.>`, `${ns}.events.>`];
    for (const [who, nc] of [['feed', feed], ['stranger', stranger], ['ci', ci]] as const) {
      for (const subject of wide) listen(nc, who, subject);
      listen(nc, who, `_INBOX_${who}.>`);
      await nc.flush();
    }

    // Everything that moves tokens and secrets while they listen: a token created and used, a secret
    // set and deployed to the machines, and a command sent by the bound publisher.
    const token = (await cliJson<{ secret: string }>(hangar, ['tokens', 'create', `t-${uniqueSuffix()}`, '--scope', `app:${app}:deploy`])).secret;
    const other = `other-${randomUUID()}`;
    await cliOk(hangar, ['secrets', 'set', `OTHER=${other}`], { cwd: dir, env: { HANGAR_API_TOKEN: token } });
    await waitFor(hangar, 'the secret on every machine', async () => (await fleetMachines(hangar, app)).filter((m) => m.state !== 'destroyed').every((m) => m.config.env?.OTHER === other));
    const answer = await natsCommand<{ app?: { name: string } }>(ci, commandSubject(ns, 'releaser', 'get-app'), { app });
    expect(answer.app?.name).toBe(app);

    // The feed reader reads the whole feed through its own durable, as it may.
    const jsm = await feed.jetstreamManager();
    await jsm.consumers.add(stream, { durable_name: 'feed', ack_policy: AckPolicy.Explicit });
    const reader = await feed.jetstream().consumers.get(stream, 'feed');
    const batch = await reader.fetch({ max_messages: 10_000, expires: 2000 });
    let feedMessages = 0;
    for await (const m of batch) {
      feedMessages += 1;
      seen.push(`${m.subject} ${new TextDecoder().decode(m.data)}`);
      m.ack();
    }
    expect(feedMessages).toBeGreaterThan(10);

    // Review rows 79, 81: every wide subscription was refused by the server.
    await waitFor(hangar, 'every wide subscription refused', async () => denied.length >= wide.length * 3);
    expect(denied).toEqual(expect.arrayContaining(wide.flatMap((s) => ['feed', 'stranger', 'ci'].map((who) => `${who} ${s}`))));
    const everything = seen.join('\n');
    expect(everything).toContain(app);
    for (const needle of [hangar.adminToken, token, secret, other, hangar.fleetToken]) expect(everything).not.toContain(needle);
  });

  it('lets only the secrets service answer its commands, and only machine-updater ask it for values (review row 80)', async () => {
    const refused: string[] = [];
    const impostors = ['gateway', 'releaser', 'builder', 'machine-updater', 'feed', 'ci', 'stranger'];
    for (const identity of impostors) {
      const nc = await connectAs(identity);
      nc.subscribe(commandSubject(ns, 'secrets', 'transport-key'), { callback: (err) => err && refused.push(identity) });
      await nc.flush();
    }
    await waitFor(hangar, 'every impostor refused', async () => refused.length === impostors.length);
    expect(refused.sort()).toEqual([...impostors].sort());
    const values = new TextEncoder().encode(JSON.stringify({ app, version: 1, recipientPublicKey: 'A'.repeat(43) }));
    for (const identity of ['gateway', 'releaser', 'builder']) {
      await expect((await connectAs(identity)).request(commandSubject(ns, 'secrets', 'get-values'), values, { timeout: 2000 })).rejects.toThrow();
    }
  });

  it("keeps the feed reader off Hangar's own durable consumers: it can neither read nor delete them (review rows 82, 83)", async () => {
    const hangarDurable = durableName(ns, 'machine-updater', 'machine-operations');
    const service = await (await connectAs('releaser')).jetstreamManager();
    const feed = await connectAs('feed');
    await expect(feed.jetstream({ timeout: 2000 }).consumers.get(stream, hangarDurable).then((c) => c.next({ expires: 1000 }))).rejects.toThrow();
    await expect((await feed.jetstreamManager({ timeout: 2000 })).consumers.delete(stream, hangarDurable)).rejects.toThrow();
    expect((await service.consumers.info(stream, hangarDurable)).name).toBe(hangarDurable);
  });
});
