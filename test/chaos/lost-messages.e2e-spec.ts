import type { NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject, eventsStreamName } from '@hangar/contracts';
import {
  HangarProcesses,
  TEST_REGISTRY_HOST,
  TEST_REGISTRY_URL,
  addFault,
  apiRequest,
  buildMinimalImage,
  natsCommand,
  natsPublisher,
  pushImage,
  startHangarE2e,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
} from '@hangar/testing';
import { FleetClient } from './chaos-fleet';
import { sleep } from './chaos-infra';
import { ChaosStore } from './chaos-store';
import { checkRun } from './fleet-timeline.checks';

/**
 * G3, deterministically: NATS acknowledges a publish before it syncs it, so a crash can lose a
 * message the relay will never publish again. Each test loses one kind of message for good (the
 * feed is purged while its consumer is down) and the release must still finish exactly, through the
 * releaser's reconciliation alone.
 */
describe('lost messages (e2e)', () => {
  const app = `lost-${uniqueSuffix()}`;
  const namespace = testNamespace('l');
  const images: string[] = [];
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  let store: ChaosStore;
  let fleet: FleetClient;
  /** As a Hangar service would connect (it may manage the feed): what throws messages away, standing in for a NATS that lost them. */
  let nc: NatsConnection;
  /** An outside publisher bound to an admin token, for builder's commands. */
  let operator: NatsConnection;
  let pg: Client;
  let seeded: { managedIds: string[]; unmanagedIds: string[] };
  const digests: string[] = [];

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_lost', namespace, fleetBootMs: 50, extraEnv: { HANGAR_RECONCILE_INTERVAL_MS: '500' }, nats: { publishers: ['operator'] } });
    ({ hangar, pg } = e2e);
    store = new ChaosStore(e2e.db.url);
    fleet = new FleetClient(hangar.fleetUrl, hangar.fleetToken);
    nc = await hangar.natsConnect('releaser');
    operator = await natsPublisher(hangar, 'operator', ['admin']);
    const repo = `lost-${uniqueSuffix()}`;
    for (const tag of ['seed', 'a', 'b', 'c', 'd']) {
      digests.push(await pushImage(TEST_REGISTRY_URL, repo, tag, buildMinimalImage()));
      images.push(`${TEST_REGISTRY_HOST}/${repo}:${tag}`);
    }
    await api('POST', '/v1/apps', { name: app });
    seeded = await fleet.seed(app, images[0]!, 3, 1);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await operator?.close();
    await store?.close();
    await e2e?.stop();
  });

  async function api(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await apiRequest(hangar, method, path, body);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  }

  function deploy(image: string): Promise<unknown> {
    const configToml = `app = "${app}"\nprimary_region = "local"\n\n[checks.alive]\ntype = "tcp"\nport = 8080\n`;
    return api('POST', `/v1/apps/${app}/deploys`, { configToml, image, strategy: 'rolling', maxUnavailable: 1, waitTimeout: '30s' });
  }

  /** Makes every machine booting `image` take 1.5 s, so an operation is in flight long enough to crash it. */
  function slowBoot(image: string): Promise<void> {
    return addFault(hangar, { match: { app, image }, effect: 'slow-start', delayMs: 1500 });
  }

  /** Waits until the store holds `count` events of `type` of the app's latest release. */
  async function recorded(type: string, count = 1): Promise<void> {
    await waitFor(
      hangar,
      `${count} ${type} of the latest release`,
      async () => {
        const { rows } = await pg.query(
          `SELECT count(*)::int AS n FROM events WHERE type = $1 AND data->>'app' = $2
             AND data->>'releaseId' = (SELECT data->>'releaseId' FROM events WHERE stream_id = $3 AND type = 'ReleaseEnqueued' ORDER BY stream_position DESC LIMIT 1)`,
          [type, app, `app-${app}`],
        );
        return rows[0].n >= count;
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
  }

  /** Waits until the feed holds a message of `type` for the app (`_`: of no app), then throws the whole feed away. */
  async function loseFeedOnce(type: string, subjectApp = app): Promise<void> {
    const jsm = await nc.jetstreamManager();
    const stream = eventsStreamName(namespace);
    const subject = `${namespace}.events.${subjectApp}.${type}`;
    await waitFor(hangar, `a ${type} on the feed`, () => jsm.streams.getMessage(stream, { last_by_subj: subject }).then(() => true, () => false), { timeoutMs: 30_000, intervalMs: 50 });
    expect((await jsm.streams.purge(stream)).purged).toBeGreaterThan(0);
  }

  async function expectExactRollouts(releases: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    let observed = await store.releases(app);
    while (observed.some((r) => r.endedAt === undefined) && Date.now() < deadline) {
      await sleep(100);
      observed = await store.releases(app);
    }
    expect(observed.map((r) => r.status)).toEqual(Array.from({ length: releases }, () => 'complete'));
    const verdict = checkRun({ strategy: 'rolling', maxUnavailable: 1, ...seeded, releases: observed, timeline: await fleet.timeline(app), machines: await fleet.machines(app) });
    expect(verdict.messages).toEqual([]);
  }

  it('resolves the image of a release whose ReleaseStarted was lost', async () => {
    await hangar.stopOne('builder');
    await deploy(images[1]!);
    await loseFeedOnce('ReleaseStarted');
    await hangar.startOne('builder');
    await expectExactRollouts(1);
  });

  it('resumes an operation whose machine-updater died mid-update and whose messages were lost', async () => {
    await slowBoot(images[2]!);
    await deploy(images[2]!);
    await recorded('MachineUpdateStarted');
    await hangar.stopOne('machine-updater', 'SIGKILL');
    await loseFeedOnce('MachineUpdateRequested');
    await hangar.startOne('machine-updater');
    await expectExactRollouts(2);
  });

  it('records outcomes that were lost, without redoing the operation', async () => {
    await slowBoot(images[3]!);
    await deploy(images[3]!);
    await recorded('MachineUpdateRequested');
    await hangar.stopOne('releaser', 'SIGKILL');
    await loseFeedOnce('MachineUpdated');
    await hangar.startOne('releaser');
    await expectExactRollouts(3);
  });

  it('evaluates a push whose ImagePushed was lost, and deploys it exactly once', async () => {
    const image = images[4]!.slice(0, images[4]!.lastIndexOf(':'));
    const repository = image.slice(TEST_REGISTRY_HOST.length + 1);
    await command('add-trigger', { app, image, tagPolicy: 'exact:d' });
    // Builder will not get to evaluate it: releaser is down, then builder dies and the feed is lost.
    await hangar.stopOne('releaser', 'SIGKILL');
    const reply = await command<{ push: { status: string } }>('record-push', { host: TEST_REGISTRY_HOST, repository, tag: 'd', digest: digests[4], pushedAt: new Date().toISOString(), source: 'ci' });
    expect(reply.push.status).toBe('recorded');
    await loseFeedOnce('ImagePushed', '_');
    await hangar.stopOne('builder', 'SIGKILL');
    await hangar.startOne('releaser');
    await hangar.startOne('builder');
    await waitFor(hangar, 'the lost push to be evaluated', async () => (await store.releases(app)).length >= 4, { timeoutMs: 30_000, intervalMs: 100 });
    await expectExactRollouts(4);
    const { rows } = await pg.query(`SELECT data->>'trigger' AS trigger, data->>'imageRef' AS image FROM events WHERE type = 'ReleaseQueued' AND data->>'app' = $1 ORDER BY global_position`, [app]);
    expect(rows.map((r) => r.trigger)).toEqual(['api', 'api', 'api', 'registry']);
    expect(rows[3].image).toContain(digests[4]);
  });

  async function command<T>(name: string, payload: unknown): Promise<T> {
    const reply = await natsCommand<T & { error?: unknown }>(operator, commandSubject(namespace, 'builder', name), payload);
    if (reply.error) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
    return reply;
  }
});
