import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject, type PushEvaluatedData } from '@hangar/contracts';
import {
  HangarProcesses,
  TEST_REGISTRY_HOST,
  TEST_REGISTRY_URL,
  buildMinimalImage,
  fleetMachines,
  flyToml,
  holdLeases,
  natsCommand,
  natsPublisher,
  pushEvaluation,
  pushImage,
  releasesOf,
  settledRelease,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type HangarE2e,
} from '@hangar/testing';

/**
 * Issue 6, items 3 and 4 end to end with the services as processes: pushes reported over NATS
 * (`<ns>.cmd.builder.record-push`) are recorded once, matched against the app's triggers, deployed
 * pinned to their digest (resolved through the registry when the push names none), superseded while
 * queued, and every push that did not deploy says why.
 */
describe('registry push triggers over NATS (e2e)', () => {
  const ns = testNamespace('rt');
  const app = `trg-${uniqueSuffix()}`;
  const repo = `acme-${uniqueSuffix()}/web`;
  const suffixOf = (repository: string) => repository.split('/')[0]!.replace(/^acme-/, '');
  const digests: Record<string, string> = {};
  let e2e: HangarE2e;
  let pg: Client;
  let nc: NatsConnection;
  let hangar: HangarProcesses;
  let dir: string;
  let triggerId: string;
  let pushSeq = 0;

  /** A builder command over NATS, sent by an outside publisher: `nc` acts as an admin-scoped token, others as their own. */
  const command = <T>(name: string, payload: unknown, as: NatsConnection = nc) => natsCommand<T>(as, commandSubject(ns, 'builder', name), payload);

  /** A push of `tag` to ghcr.io (the local registry stands in for it through HANGAR_REGISTRY_MIRRORS). */
  function ghcrPush(tag: string, over: Record<string, unknown> = {}) {
    pushSeq += 1;
    return { host: 'ghcr.io', repository: repo.toUpperCase(), tag, digest: digests[tag], pushedAt: new Date(Date.UTC(2026, 10, 26, 9, 0, pushSeq)).toISOString(), source: 'ci', deliveryId: `d-${pushSeq}`, ...over };
  }

  async function record(push: unknown): Promise<{ push: { status: string; pushEventId: string } }> {
    const reply = await command<{ push: { status: string; pushEventId: string }; error?: unknown }>('record-push', push);
    expect(reply.error).toBeUndefined();
    return reply;
  }

  /** What came of a recorded push, once builder evaluated it. */
  const evaluated = (pushEventId: string): Promise<PushEvaluatedData> => pushEvaluation(pg, hangar, pushEventId);
  const releases = () => releasesOf(hangar, app);
  const settled = (version: number) => settledRelease(hangar, app, version);

  async function eventCount(): Promise<number> {
    const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0]!.n);
  }

  beforeAll(async () => {
    for (const tag of ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.6.0', '2.0.0']) {
      digests[tag] = await pushImage(TEST_REGISTRY_URL, repo, tag, buildMinimalImage({ labels: { tag } }));
    }
    // 1.5.0 names the image `latest` does: a push of it finds the app already on that digest.
    const latest = buildMinimalImage({ labels: { tag: 'latest' } });
    digests.latest = await pushImage(TEST_REGISTRY_URL, repo, 'latest', latest);
    digests['1.5.0'] = await pushImage(TEST_REGISTRY_URL, repo, '1.5.0', latest);
    expect(digests['1.5.0']).toBe(digests.latest);
    e2e = await startHangarE2e({
      databasePrefix: 'hangar_triggers_e2e',
      namespace: ns,
      fleetBootMs: 50,
      extraEnv: { HANGAR_REGISTRY_MIRRORS: JSON.stringify({ 'ghcr.io': TEST_REGISTRY_HOST, 'docker.io': TEST_REGISTRY_HOST }) },
      tmpPrefix: 'hangar-triggers-',
      nats: { publishers: ['operator', 'deployer', 'ci-bridge', 'ci-web', 'ci-acme'] },
    });
    ({ pg, hangar, dir } = e2e);
    nc = await natsPublisher(hangar, 'operator', ['admin']);
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, `${TEST_REGISTRY_HOST}/${repo}:1.0.0`, '\n[deploy]\nstrategy = "rolling"\n'));
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    expect((await hangar.cli(['deploy'], { cwd: dir })).code).toBe(0);
    expect((await hangar.cli(['scale', 'count', '2', '-a', app])).code).toBe(0);
    const added = await command<{ trigger: { id: string; image: string; tagPolicy: string } }>('add-trigger', { app, image: `ghcr.io/${repo}`, tagPolicy: 'semver:^1' });
    expect(added.trigger).toMatchObject({ image: `ghcr.io/${repo}`, tagPolicy: 'semver:^1' });
    triggerId = added.trigger.id;
  }, 180000);

  afterAll(async () => {
    await nc?.drain();
    await e2e?.stop();
  });

  it('a push the trigger follows becomes a registry release pinned to the digest, and the machines end on it', async () => {
    const { push } = await record(ghcrPush('1.1.0'));
    expect(push.status).toBe('recorded');
    const { outcomes } = await evaluated(push.pushEventId);
    expect(outcomes).toEqual([{ triggerId, app, result: 'deployed', releaseId: expect.any(String), version: 2 }]);
    const release = await settled(2);
    expect(release).toMatchObject({ status: 'complete', trigger: 'registry', image: expect.stringContaining(digests['1.1.0']!) });
    const managed = (await statusOf(hangar, app)).machines.filter((m) => m.managed);
    expect(managed).toHaveLength(2);
    expect(managed.every((m) => m.releaseVersion === 2 && m.image.includes(digests['1.1.0']!))).toBe(true);
  });

  it('a repeated delivery is recorded once and changes nothing', async () => {
    const before = await eventCount();
    pushSeq -= 1; // the same delivery again
    const again = await record(ghcrPush('1.1.0'));
    expect(again.push.status).toBe('duplicate');
    // The same tag and digest under another delivery id (a replica's own delivery) is the same push too.
    const replica = await record(ghcrPush('1.1.0', { deliveryId: 'replica-1' }));
    expect(replica.push.status).toBe('duplicate');
    expect(await eventCount()).toBe(before);
  });

  it('pushes that do not deploy say why: policy, older version, same digest, another host, no trigger', async () => {
    const rejected = await evaluated((await record(ghcrPush('2.0.0'))).push.pushEventId);
    expect(rejected.outcomes).toEqual([{ triggerId, app, result: 'skipped', reason: 'tag policy semver:^1 rejects 2.0.0' }]);
    const older = await evaluated((await record(ghcrPush('1.0.0'))).push.pushEventId);
    expect(older.outcomes[0]).toMatchObject({ result: 'skipped', reason: expect.stringContaining('1.0.0 is not newer than 1.1.0') });
    const otherHost = await evaluated((await record({ ...ghcrPush('1.2.0'), host: 'quay.io' })).push.pushEventId);
    expect(otherHost.outcomes[0]).toMatchObject({ result: 'skipped', reason: `no trigger matches: pushed to quay.io/${repo}, this trigger follows ghcr.io/${repo}` });
    const unrelated = await evaluated((await record({ ...ghcrPush('1.2.0'), repository: 'someone/else' })).push.pushEventId);
    expect(unrelated).toMatchObject({ outcomes: [], reason: 'no trigger matches' });

    const log = await command<{ entries: { tag: string; result: string; reason?: string; version?: number }[] }>('list-trigger-log', { app });
    expect(log.entries.map((e) => [e.tag, e.result])).toEqual([
      ['1.2.0', 'skipped'],
      ['1.0.0', 'skipped'],
      ['2.0.0', 'skipped'],
      ['1.1.0', 'deployed'],
    ]);
    expect((await releases()).map((r) => r.version)).toEqual([2, 1]);
  });

  it('a newer push supersedes the queued release of an older one; the running one finishes', async () => {
    // The test holds the app's machines' leases, so v3 keeps running until the newer pushes have
    // been evaluated (machine-updater retries a held lease), however loaded the machine is.
    const live = (await fleetMachines(hangar, app)).filter((m) => m.state !== 'destroyed');
    const releaseLeases = await holdLeases(hangar, app, live.map((m) => m.id));
    try {
      const first = await evaluated((await record(ghcrPush('1.2.0'))).push.pushEventId);
      expect(first.outcomes[0]).toMatchObject({ result: 'deployed', version: 3 });
      const second = await evaluated((await record(ghcrPush('1.3.0'))).push.pushEventId);
      expect(second.outcomes[0]).toMatchObject({ result: 'deployed', version: 4 });
      const third = await evaluated((await record(ghcrPush('1.4.0'))).push.pushEventId);
      expect(third.outcomes[0]).toMatchObject({ result: 'deployed', version: 5 });
      expect((await settled(4)).status).toBe('cancelled');
    } finally {
      await releaseLeases();
    }
    expect((await settled(3)).status).toBe('complete');
    expect((await settled(5)).status).toBe('complete');
    const log = await command<{ entries: { tag: string; reason?: string }[] }>('list-trigger-log', { app });
    expect(log.entries[0]).toMatchObject({ tag: '1.4.0', reason: 'superseded the queued v4' });
  });

  it('a push without a digest (Docker Hub, Quay) is deployed at the digest the registry resolves for its tag; an older delivery arriving late does not deploy', async () => {
    const hub = await command<{ trigger: { id: string } }>('add-trigger', { app, image: `docker.io/${repo}`, tagPolicy: 'exact:latest' });
    const late = new Date(Date.UTC(2026, 10, 26, 12)).toISOString();
    const { push } = await record({ host: 'docker.io', repository: repo, tag: 'latest', pushedAt: late, source: 'dockerhub' });
    const { outcomes } = await evaluated(push.pushEventId);
    expect(outcomes).toEqual([
      { triggerId, app, result: 'skipped', reason: `no trigger matches: pushed to docker.io/${repo}, this trigger follows ghcr.io/${repo}` },
      { triggerId: hub.trigger.id, app, result: 'deployed', releaseId: expect.any(String), version: 6 },
    ]);
    expect(await settled(6)).toMatchObject({ status: 'complete', image: expect.stringContaining(`:latest@${digests.latest}`) });

    const earlier = new Date(Date.UTC(2026, 10, 26, 11)).toISOString();
    const outOfOrder = await evaluated((await record({ host: 'docker.io', repository: repo, tag: 'latest', pushedAt: earlier, source: 'dockerhub' })).push.pushEventId);
    expect(outOfOrder.outcomes[1]).toMatchObject({ triggerId: hub.trigger.id, result: 'skipped', reason: expect.stringMatching(/^out of order: a newer push of latest/) });
    expect((await releases())[0]!.version).toBe(6);
  });

  it('bad pushes are refused naming the field and record nothing; record-push needs registry:push', async () => {
    const before = await eventCount();
    const bad = await command<{ error: { code: string; message: string } }>('record-push', { ...ghcrPush('1.5.0'), digest: 'sha256:nothex' });
    expect(bad.error.code).toBe('REQUEST.INVALID');
    expect(bad.error.message).toContain('digest');
    const noTime = await command<{ error: { message: string } }>('record-push', { ...ghcrPush('1.5.0'), pushedAt: 'yesterday' });
    expect(noTime.error.message).toContain('pushedAt');
    const badRepo = await command<{ error: { message: string } }>('record-push', { ...ghcrPush('1.5.0'), repository: 'a//b' });
    expect(badRepo.error.message).toContain('repository');
    expect(await eventCount()).toBe(before);

    const deployer = await natsPublisher(hangar, 'deployer', [`app:${app}:deploy`]);
    const ci = await natsPublisher(hangar, 'ci-bridge', ['registry:push']);
    const refused = await command<{ error: { code: string } }>('record-push', ghcrPush('1.5.0'), deployer);
    expect(refused.error.code).toBe('AUTH.FORBIDDEN');
    const accepted = await command<{ push: { status: string; pushEventId: string } }>('record-push', ghcrPush('1.5.0'), ci);
    expect(accepted.push.status).toBe('recorded');
    const { rows } = await pg.query(`SELECT metadata->>'actor' AS actor FROM events WHERE event_id = $1`, [accepted.push.pushEventId]);
    expect(rows[0].actor).toBe('ci-bridge');
    // The digest the app is on already: no release.
    expect((await evaluated(accepted.push.pushEventId)).outcomes[0]).toMatchObject({ triggerId, result: 'skipped', reason: 'digest already deployed (v6)' });
    const cantAdd = await command<{ error: { code: string } }>('add-trigger', { app, image: `ghcr.io/${repo}`, tagPolicy: 'glob:*' }, ci);
    expect(cantAdd.error.code).toBe('AUTH.FORBIDDEN');
    await deployer.close();
    await ci.close();
  });

  it('a registry:push:<target> token records pushes of its repositories only: any other is refused naming the scope, recording nothing', async () => {
    const exact = await natsPublisher(hangar, 'ci-web', [`registry:push:ghcr.io/${repo}`]);
    const prefix = await natsPublisher(hangar, 'ci-acme', [`registry:push:ghcr.io/${repo.split('/')[0]}/*`]);
    const malformed = await hangar.cli(['tokens', 'create', 'ci-bad', '--scope', 'registry:push:ghcr.io', '--json']);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain(`scope "registry:push:ghcr.io": target 'ghcr.io' must be <host>/<repository>`);

    const before = await eventCount();
    const elsewhere = [
      [exact, { host: 'ghcr.io', repository: `${repo}-other` }],
      [exact, { host: 'registry.example.com', repository: repo }],
      [prefix, { host: 'ghcr.io', repository: `other-${suffixOf(repo)}/web` }],
      [prefix, { host: 'docker.io', repository: repo }],
    ] as const;
    for (const [publisher, image] of elsewhere) {
      const refused = await command<{ error: { code: string; message: string } }>('record-push', ghcrPush('1.5.0', image), publisher);
      expect(refused.error).toMatchObject({ code: 'AUTH.FORBIDDEN', message: expect.stringContaining(`lacks the scope registry:push:${image.host}/${image.repository} for record-push`) });
    }
    expect(await eventCount()).toBe(before);

    // Within the target: accepted (the same push as the last test's, so recorded as a duplicate).
    for (const publisher of [exact, prefix]) {
      const accepted = await command<{ push?: { status: string }; error?: unknown }>('record-push', ghcrPush('1.5.0'), publisher);
      expect(accepted).toEqual({ push: expect.objectContaining({ status: 'duplicate', host: 'ghcr.io', repository: repo, tag: '1.5.0' }) });
      await publisher.close();
    }
  });

  it('a push whose digest is not the one its tag has at the registry deploys nothing; a pushedAt in 2099 is clamped, so the real push still deploys', async () => {
    // Review rows 99 and 100: an old build reported under a newer tag, dated far in the future.
    const forged = await record(ghcrPush('1.6.0', { digest: digests['1.0.0'], pushedAt: '2099-01-01T00:00:00Z' }));
    const receivedBy = Date.now();
    const skipped = await evaluated(forged.push.pushEventId);
    expect(skipped.outcomes.find((o) => o.triggerId === triggerId)).toEqual({
      triggerId,
      app,
      result: 'skipped',
      reason: `digest does not match tag: 1.6.0 is ${digests['1.6.0']} at the registry, the push said ${digests['1.0.0']}`,
    });
    const { rows } = await pg.query<{ at: string }>(`SELECT data->>'pushedAt' AS at FROM events WHERE event_id = $1`, [forged.push.pushEventId]);
    expect(Date.parse(rows[0]!.at)).toBeLessThanOrEqual(receivedBy);
    expect((await releases())[0]!.version).toBe(6);

    const real = await evaluated((await record(ghcrPush('1.6.0', { pushedAt: new Date().toISOString() }))).push.pushEventId);
    expect(real.outcomes.find((o) => o.triggerId === triggerId)).toMatchObject({ result: 'deployed', version: 7 });
    expect(await settled(7)).toMatchObject({ status: 'complete', trigger: 'registry', image: expect.stringContaining(`:1.6.0@${digests['1.6.0']}`) });
  });
});
