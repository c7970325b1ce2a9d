import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject, REGISTRY_SOURCES, type RegistrySource } from '@hangar/contracts';
import {
  HangarProcesses,
  TEST_REGISTRY_HOST,
  TEST_REGISTRY_URL,
  buildMinimalImage,
  flyToml,
  natsCommand,
  pushEvaluation,
  pushImage,
  registryWebhook,
  releasesOf,
  settledRelease,
  signDelivery,
  startHangarE2e,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
  type WebhookFixture,
} from '@hangar/testing';

/** Where each source's fixtures say the image lives; HANGAR_REGISTRY_MIRRORS points them all at the local registry. */
const HOSTS: Readonly<Record<RegistrySource, string>> = {
  distribution: 'registry.example.com',
  dockerhub: 'docker.io',
  ghcr: 'ghcr.io',
  harbor: 'harbor.example.com',
  quay: 'quay.io',
  ecr: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  gar: 'europe-west1-docker.pkg.dev',
  acr: 'myregistry.azurecr.io',
  jfrog: 'example.jfrog.io',
};
/** Another host of the same kind, for the sources whose payload names the host (Docker Hub's and GHCR's cannot). */
const OTHER_HOSTS: Readonly<Partial<Record<RegistrySource, string>>> = {
  distribution: 'registry.other.example',
  harbor: 'harbor.other.example',
  quay: 'quay.other.example',
  ecr: '210987654321.dkr.ecr.eu-west-1.amazonaws.com',
  gar: 'us-docker.pkg.dev',
  acr: 'otherregistry.azurecr.io',
  jfrog: 'other.jfrog.io',
};
/** Sources whose payload carries no push time: the receipt time stands in, so arrival order is push order. */
const NO_PUSH_TIME: readonly RegistrySource[] = ['quay', 'jfrog'];
/** Sources whose payload carries no digest: builder resolves the tag. */
const NO_DIGEST: readonly RegistrySource[] = ['dockerhub', 'quay'];

/**
 * Issue 6 acceptance, per registry, through the real HTTP receiver with every service a process:
 * a push deploys its app pinned to the digest; by-digest, per-platform and irrelevant deliveries are
 * answered 2xx and recorded as ignored; a bad secret (401), an oversize body (413) and a truncated
 * one (400) change nothing; a repeated delivery records nothing new; an older push arriving late
 * does not deploy.
 */
describe('registry webhooks, per registry (e2e)', () => {
  const ns = testNamespace('wh');
  const suffix = uniqueSuffix();
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;

  const repositoryOf = (source: RegistrySource) => `wh-${suffix}/${source}`;
  const appOf = (source: RegistrySource) => `wh-${source}-${suffix}`;

  /** Events in the store (but audit checkpoints, which are periodic), once every push recorded so far was evaluated. */
  async function counts(): Promise<{ all: number; pushed: number; ignored: number }> {
    await waitFor(hangar, 'every push to be evaluated', async () => {
      const { rows } = await pg.query(`SELECT NOT EXISTS (SELECT 1 FROM events p WHERE p.type = 'ImagePushed' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.type = 'PushEvaluated' AND e.data->>'pushEventId' = p.event_id::text)) AS done`);
      return rows[0].done === true;
    });
    const { rows } = await pg.query<{ all: string; pushed: string; ignored: string }>(
      `SELECT count(*) AS all, count(*) FILTER (WHERE type = 'ImagePushed') AS pushed, count(*) FILTER (WHERE type = 'RegistryDeliveryIgnored') AS ignored
       FROM events WHERE stream_id <> 'audit-checkpoints'`,
    );
    return { all: Number(rows[0]!.all), pushed: Number(rows[0]!.pushed), ignored: Number(rows[0]!.ignored) };
  }

  const releases = (app: string) => releasesOf(hangar, app);
  const settled = (app: string, version: number) => settledRelease(hangar, app, version);
  const evaluated = (pushEventId: string) => pushEvaluation(pg, hangar, pushEventId);

  beforeAll(async () => {
    const mirrors = Object.fromEntries(Object.values(HOSTS).map((h) => [h, TEST_REGISTRY_HOST]));
    e2e = await startHangarE2e({ databasePrefix: 'hangar_webhooks_e2e', namespace: ns, fleetBootMs: 50, extraEnv: { HANGAR_REGISTRY_MIRRORS: JSON.stringify(mirrors) }, tmpPrefix: 'hangar-webhooks-' });
    ({ pg, hangar, dir } = e2e);
  }, 120000);

  afterAll(async () => {
    await e2e?.stop();
  });

  describe('the receiver edge', () => {
    const admin = () => ({ Authorization: `Bearer ${hangar.adminToken}`, 'Content-Type': 'application/json' });
    let receiver: { id: string; url: string; secret: string };
    let nc: NatsConnection;
    /** Everything on the bus from before the receiver exists: the secret must never be on it in the clear. */
    const bus: string[] = [];

    beforeAll(async () => {
      // Everything the services exchange in their NATS account, commands and replies included.
      nc = await hangar.natsServer!.connectWiretap();
      nc.subscribe('>', { callback: (_err, msg) => bus.push(Buffer.from(msg.data).toString('latin1')) });
      await nc.flush();
      const res = await fetch(`${hangar.apiUrl}/v1/receivers`, { method: 'POST', headers: admin(), body: JSON.stringify({ source: 'distribution', host: HOSTS.distribution }) });
      expect(res.status).toBe(201);
      receiver = ((await res.json()) as { receiver: typeof receiver }).receiver;
      expect(receiver).toMatchObject({ host: HOSTS.distribution });
      expect(receiver.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    afterAll(async () => {
      await nc?.drain();
    });

    it('keeps the secret out of the store, the lists and every answer but the first', async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1 OR metadata::text LIKE $1`, [`%${receiver.secret}%`]);
      expect(rows[0].n).toBe(0);
      const stored = await pg.query(`SELECT encode(ciphertext, 'escape') AS c FROM receiver_secrets WHERE receiver_id = $1`, [receiver.id]);
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0].c).not.toContain(receiver.secret);
      const list = await (await fetch(`${hangar.apiUrl}/v1/receivers`, { headers: admin() })).text();
      expect(list).toContain(receiver.id);
      expect(list).not.toContain(receiver.secret);
      expect(hangar.output()).not.toContain(receiver.secret);
      // A delivery makes the gateway fetch the secret: it crosses the bus sealed only.
      const fixture = signDelivery('distribution', receiver.secret, registryWebhook('distribution').push({ repository: `edge-${suffix}/web`, tag: '0.1' }));
      expect((await fetch(receiver.url, { method: 'POST', headers: fixture.headers, body: fixture.body })).status).toBe(202);
      await nc.flush();
      expect(bus.length).toBeGreaterThan(0);
      expect(bus.filter((m) => m.includes(receiver.secret))).toEqual([]);
    });

    it('refuses a short secret naming it, recording nothing', async () => {
      const before = await counts();
      const res = await fetch(`${hangar.apiUrl}/v1/receivers`, { method: 'POST', headers: admin(), body: JSON.stringify({ source: 'ghcr', secret: 'short' }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'REQUEST.INVALID', message: 'secret must be at least 16 characters' } });
      expect(await counts()).toEqual(before);
    });

    it('reads webhook bodies raw whatever the path case, while other routes still parse JSON and refuse malformed bodies', async () => {
      const fixture = signDelivery('distribution', receiver.secret, registryWebhook('distribution').push({ repository: `edge-${suffix}/web`, tag: '1.0' }));
      const upper = receiver.url.replace('/v1/webhooks/', '/V1/Webhooks/');
      const res = await fetch(upper, { method: 'POST', headers: { ...fixture.headers, 'content-type': 'application/json' }, body: fixture.body });
      expect(res.status).toBe(202);
      expect(((await res.json()) as { pushes: { status: string }[] }).pushes).toEqual([expect.objectContaining({ status: 'recorded', tag: '1.0' })]);
      const malformed = await fetch(`${hangar.apiUrl}/v1/receivers`, { method: 'POST', headers: admin(), body: '{"source":' });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: 'REQUEST.INVALID' } });
    });

    it('answers 413 with Connection: close to a chunked body over 1 MiB while it is still being sent, recording nothing', async () => {
      const before = await counts();
      const res = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('no response within 10 s')), 10_000);
        const req = httpRequest(receiver.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${receiver.secret}` } }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            clearTimeout(deadline);
            req.destroy();
            resolve({ status: r.statusCode ?? 0, body: Buffer.concat(parts).toString(), ...(r.headers.connection ? { connection: r.headers.connection } : {}) });
          });
        });
        req.on('error', () => undefined);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const next = (): void => {
          if (req.destroyed || sent > 1_048_576) return; // never ends: the answer must not wait for the end
          sent += chunk.length;
          if (req.write(chunk)) setImmediate(next);
          else req.once('drain', next);
        };
        next();
      });
      expect(res.status).toBe(413);
      expect(res.connection).toBe('close');
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'WEBHOOK.TOO_LARGE' } });
      expect(await counts()).toEqual(before);
    });

    it('is tied to its registry host: added without one is refused naming it; a push to another host or outside its prefix is 403 naming the host, recording nothing', async () => {
      const before = await counts();
      const hostless = await fetch(`${hangar.apiUrl}/v1/receivers`, { method: 'POST', headers: admin(), body: JSON.stringify({ source: 'distribution' }) });
      expect(hostless.status).toBe(400);
      expect(await hostless.json()).toMatchObject({ error: { code: 'REQUEST.INVALID', message: expect.stringMatching(/^host is required for a distribution receiver/) } });
      const elsewhere = signDelivery('distribution', receiver.secret, registryWebhook('distribution').push({ host: 'ghcr.io', repository: `edge-${suffix}/web`, tag: '3.0' }));
      const refused = await fetch(receiver.url, { method: 'POST', headers: elsewhere.headers, body: elsewhere.body });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'WEBHOOK.FORBIDDEN', message: `receiver ${receiver.id} is for registry host ${HOSTS.distribution}; the delivery names a push to host ghcr.io` } });
      // Builder checks again: record-delivery sent past the gateway's checks (with the gateway's own NATS key) is refused the same way.
      const push = { host: 'ghcr.io', repository: `edge-${suffix}/web`, tag: '3.0', pushedAt: new Date().toISOString(), source: 'distribution' };
      const asGateway = await hangar.natsConnect('gateway');
      const direct = await natsCommand<{ error?: { code: string } }>(asGateway, commandSubject(ns, 'builder', 'record-delivery'), { receiverId: receiver.id, source: 'distribution', pushes: [push], ignored: [] });
      await asGateway.close();
      expect(direct.error?.code).toBe('WEBHOOK.FORBIDDEN');
      expect(await counts()).toEqual(before);

      const added = await fetch(`${hangar.apiUrl}/v1/receivers`, { method: 'POST', headers: admin(), body: JSON.stringify({ source: 'distribution', host: HOSTS.distribution, repositoryPrefix: `edge-${suffix}` }) });
      expect(added.status).toBe(201);
      const prefixed = ((await added.json()) as { receiver: typeof receiver & { repositoryPrefix: string } }).receiver;
      expect(prefixed.repositoryPrefix).toBe(`edge-${suffix}`);
      const withPrefixed = await counts();
      const outside = signDelivery('distribution', prefixed.secret, registryWebhook('distribution').push({ repository: `edge-${suffix}-evil/web`, tag: '3.0' }));
      const outsideRes = await fetch(prefixed.url, { method: 'POST', headers: outside.headers, body: outside.body });
      expect(outsideRes.status).toBe(403);
      expect(((await outsideRes.json()) as { error: { message: string } }).error.message).toContain(`is for repositories under ${HOSTS.distribution}/edge-${suffix}`);
      expect(await counts()).toEqual(withPrefixed);
      const inside = signDelivery('distribution', prefixed.secret, registryWebhook('distribution').push({ repository: `edge-${suffix}/web`, tag: '3.0' }));
      expect((await fetch(prefixed.url, { method: 'POST', headers: inside.headers, body: inside.body })).status).toBe(202);
      const listed = (await (await fetch(`${hangar.apiUrl}/v1/receivers`, { headers: admin() })).json()) as { receivers: { id: string; host?: string; repositoryPrefix?: string }[] };
      expect(listed.receivers.find((r) => r.id === prefixed.id)).toMatchObject({ host: HOSTS.distribution, repositoryPrefix: `edge-${suffix}` });
    });

    it('a removed receiver answers 404, and its secret is gone', async () => {
      const removed = await fetch(`${hangar.apiUrl}/v1/receivers/${receiver.id}`, { method: 'DELETE', headers: admin() });
      expect(removed.status).toBe(200);
      const fixture = signDelivery('distribution', receiver.secret, registryWebhook('distribution').push({ repository: `edge-${suffix}/web`, tag: '2.0' }));
      const res = await fetch(receiver.url, { method: 'POST', headers: fixture.headers, body: fixture.body });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'REGISTRY.RECEIVER_NOT_FOUND' } });
      await waitFor(hangar, 'the secret to be deleted', async () => (await pg.query(`SELECT 1 FROM receiver_secrets WHERE receiver_id = $1`, [receiver.id])).rows.length === 0);
    });
  });

  describe.each(REGISTRY_SOURCES.map((s) => [s] as const))('%s', (source) => {
    const app = appOf(source);
    const repository = repositoryOf(source);
    const secret = `s3cret-${source}-0123456789abcdef`;
    const fixtures = registryWebhook(source);
    const digests: Record<string, string> = {};
    let url: string;

    /** POSTs a fixture to the receiver, signed with `key` (the receiver's secret unless told). */
    async function deliver(fixture: WebhookFixture, key: string | null = secret): Promise<{ status: number; body: any }> {
      const signed = key === null ? fixture : signDelivery(source, key, fixture);
      const target = new URL(url);
      for (const [k, v] of Object.entries(signed.query ?? {})) target.searchParams.set(k, v);
      const res = await fetch(target, { method: 'POST', headers: signed.headers, body: signed.body });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    }

    beforeAll(async () => {
      const current = buildMinimalImage();
      for (const tag of ['base', 'stable-old', 'stable']) {
        digests[tag] = await pushImage(TEST_REGISTRY_URL, repository, tag === 'stable-old' ? 'stable' : tag, buildMinimalImage());
      }
      // `repeat` names the image `1.1.0` does: a push of it finds the app already on that digest.
      digests['1.1.0'] = await pushImage(TEST_REGISTRY_URL, repository, '1.1.0', current);
      digests.repeat = await pushImage(TEST_REGISTRY_URL, repository, 'repeat', current);
      writeFileSync(join(dir, `${source}.toml`), flyToml(app, `${TEST_REGISTRY_HOST}/${repository}:base`));
      expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
      expect((await hangar.cli(['deploy', '-c', join(dir, `${source}.toml`)])).code).toBe(0);
      const receiver = await hangar.cli(['receivers', 'add', '--source', source, '--host', HOSTS[source], '--secret', secret, '--json']);
      expect(receiver.code).toBe(0);
      const added = JSON.parse(receiver.stdout) as { receiver: { id: string; source: string; url: string; secret?: string } };
      expect(added.receiver).toMatchObject({ source, url: `${hangar.apiUrl}/v1/webhooks/registry/${added.receiver.id}` });
      expect(added.receiver.secret).toBeUndefined();
      url = added.receiver.url;
      const trigger = await hangar.cli(['triggers', 'add', '-a', app, '--image', `${HOSTS[source]}/${repository}`, '--tag-policy', 'glob:*', '--json']);
      expect(trigger.code).toBe(0);
    }, 120000);

    it('a push is recorded normalised and deploys the app pinned to the digest', async () => {
      const fixture = fixtures.push({ repository: repository.toUpperCase(), tag: '1.1.0', digest: digests['1.1.0'] });
      const res = await deliver(fixture);
      expect(res.status).toBe(202);
      expect(res.body.pushes).toEqual([expect.objectContaining({ status: 'recorded', host: HOSTS[source], repository, tag: '1.1.0' })]);
      const { rows } = await pg.query(`SELECT data FROM events WHERE event_id = $1`, [res.body.pushes[0].pushEventId]);
      expect(rows[0].data).toMatchObject({ host: HOSTS[source], repository, tag: '1.1.0', source });
      if (NO_DIGEST.includes(source)) expect(rows[0].data.digest).toBeUndefined();
      else expect(rows[0].data.digest).toBe(digests['1.1.0']);
      expect((await evaluated(res.body.pushes[0].pushEventId)).outcomes).toEqual([expect.objectContaining({ result: 'deployed', version: 2 })]);
      expect(await settled(app, 2)).toMatchObject({ status: 'complete', trigger: 'registry', image: expect.stringContaining(`${HOSTS[source]}/${repository}:1.1.0@${digests['1.1.0']}`) });
    });

    const otherHost = OTHER_HOSTS[source];
    if (otherHost !== undefined) {
      it('a push naming another registry host is 403 naming it, and records nothing', async () => {
        const before = await counts();
        const res = await deliver(fixtures.push({ host: otherHost, repository, tag: '1.1.0', digest: digests['1.1.0'] }));
        expect(res.status).toBe(403);
        expect(res.body.error).toMatchObject({ code: 'WEBHOOK.FORBIDDEN', message: expect.stringContaining(`is for registry host ${HOSTS[source]}; the delivery names a push to host ${otherHost}`) });
        expect(await counts()).toEqual(before);
      });
    }

    it('a repeated delivery records no new push and deploys nothing more', async () => {
      const fixture = fixtures.push({ repository, tag: 'repeat', digest: digests.repeat, id: `${source}-repeat-1` });
      const first = await deliver(fixture);
      expect(first.status).toBe(202);
      const before = await counts();
      const again = await deliver(fixture);
      expect(again.status).toBe(202);
      if (source === 'quay') {
        // Quay sends no id, digest nor time: a redelivery cannot be told from a new push of the tag.
        // It is recorded, resolved, and found to be the digest the app runs.
        expect(again.body.pushes[0]).toMatchObject({ status: 'recorded' });
        expect((await evaluated(again.body.pushes[0].pushEventId)).outcomes).toEqual([expect.objectContaining({ result: 'skipped', reason: expect.stringMatching(/^digest already deployed \(v2/) })]);
      } else {
        expect(again.body.pushes[0]).toMatchObject({ status: 'duplicate', pushEventId: first.body.pushes[0].pushEventId });
        expect((await counts()).pushed).toBe(before.pushed);
      }
      // The push itself was of the digest the app already runs (v2).
      expect((await evaluated(first.body.pushes[0].pushEventId)).outcomes).toEqual([expect.objectContaining({ result: 'skipped', reason: expect.stringMatching(/^digest already deployed \(v2/) })]);
      expect((await releases(app))[0]!.version).toBe(2);
    });

    it('pushes by digest, per-platform manifests and irrelevant deliveries are 2xx and recorded as ignored with a reason', async () => {
      const before = await counts();
      const multi = fixtures.multiArch({ repository, tag: 'multi', digest: digests['1.1.0'] });
      const ignoredOnly = [...fixtures.byDigestPush({ repository }), ...fixtures.irrelevant({ repository, tag: '1.1.0' })];
      let ignored = 0;
      for (const fixture of ignoredOnly) {
        const res = await deliver(fixture);
        expect(res.status).toBe(202);
        expect(res.body.pushes).toEqual([]);
        ignored += res.body.ignored;
      }
      expect(ignored).toBeGreaterThanOrEqual(ignoredOnly.length);
      let pushes = 0;
      for (const fixture of multi) {
        const res = await deliver(fixture);
        expect(res.status).toBe(202);
        pushes += res.body.pushes.filter((p: { status: string }) => p.status === 'recorded').length;
        ignored += res.body.ignored;
      }
      expect(pushes).toBe(1);
      const after = await counts();
      expect(after.pushed - before.pushed).toBe(1);
      expect(after.ignored - before.ignored).toBe(ignored);
      const { rows } = await pg.query(`SELECT data->>'reason' AS reason FROM events WHERE type = 'RegistryDeliveryIgnored' ORDER BY global_position DESC LIMIT $1`, [ignored]);
      expect(rows.every((r) => typeof r.reason === 'string' && r.reason.length > 5)).toBe(true);
    });

    it('a wrong secret is 401, an oversize body 413, a truncated body 400 naming it; none of them changes anything', async () => {
      const fixture = fixtures.push({ repository, tag: '9.9.9', digest: digests.stable });
      const before = await counts();
      const unauthorized = await deliver(fixture, 'not-the-secret-0123456789');
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.body.error.code).toBe('WEBHOOK.UNAUTHORIZED');
      expect(JSON.stringify(unauthorized.body)).not.toContain(secret);
      const unsigned = await deliver(fixture, null);
      expect(unsigned.status).toBe(401);
      const huge: WebhookFixture = { ...fixture, body: fixture.body.replace(/}\s*$/, `${' '.repeat(1024 * 1024)}}`) };
      const tooLarge = await deliver(huge);
      expect(tooLarge.status).toBe(413);
      const truncated = await deliver({ ...fixture, body: fixture.body.slice(0, Math.floor(fixture.body.length / 2)) });
      expect(truncated.status).toBe(400);
      expect(truncated.body.error).toMatchObject({ code: 'WEBHOOK.INVALID_PAYLOAD', details: { path: 'body' } });
      expect(await counts()).toEqual(before);
    });

    if (source === 'distribution') {
      it('a batch with one bad event records the good ones and the bad one as ignored, naming the field', async () => {
        const good = JSON.parse(fixtures.push({ repository, tag: 'batch', digest: digests.repeat }).body) as { events: Record<string, unknown>[] };
        const bad = JSON.parse(fixtures.push({ repository, tag: 'broken', digest: digests.repeat }).body) as { events: { target: Record<string, unknown> }[] };
        delete bad.events[0]!.target.repository;
        const batch: WebhookFixture = { headers: fixtures.push({ repository, tag: 'x' }).headers, body: JSON.stringify({ events: [...good.events, ...bad.events] }, null, 3) };
        const before = await counts();
        const res = await deliver(batch);
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ pushes: [expect.objectContaining({ status: 'recorded', tag: 'batch' })], ignored: 1 });
        const after = await counts();
        expect([after.pushed - before.pushed, after.ignored - before.ignored]).toEqual([1, 1]);
        const { rows } = await pg.query(`SELECT data->>'reason' AS reason FROM events WHERE type = 'RegistryDeliveryIgnored' ORDER BY global_position DESC LIMIT 1`);
        expect(rows[0].reason).toContain('events[1].target.repository');
      });
    }

    if (NO_PUSH_TIME.includes(source)) {
      it('a push without a time in its payload is timed on receipt', async () => {
        const sent = Date.now();
        const res = await deliver(fixtures.push({ repository, tag: 'timed', digest: digests.stable }));
        const { rows } = await pg.query(`SELECT data->>'pushedAt' AS at FROM events WHERE event_id = $1`, [res.body.pushes[0].pushEventId]);
        expect(Date.parse(rows[0].at)).toBeGreaterThanOrEqual(sent - 1000);
        expect(Date.parse(rows[0].at)).toBeLessThanOrEqual(Date.now());
      });
    } else {
      it('an older push of a tag arriving after a newer one does not deploy', async () => {
        const newer = fixtures.push({ repository, tag: 'stable', digest: digests.stable, pushedAt: new Date(Date.now() + 60_000) });
        const older = fixtures.push({ repository, tag: 'stable', digest: digests['stable-old'], pushedAt: new Date(Date.now() - 60_000) });
        const first = await deliver(newer);
        const receivedBy = Date.now();
        expect((await evaluated(first.body.pushes[0].pushEventId)).outcomes).toEqual([expect.objectContaining({ result: 'deployed', version: 3 })]);
        // Dated a minute ahead, it is recorded at its receipt (review H4), and still newer than the late one.
        const { rows } = await pg.query(`SELECT data->>'pushedAt' AS at FROM events WHERE event_id = $1`, [first.body.pushes[0].pushEventId]);
        expect(Date.parse(rows[0].at)).toBeLessThanOrEqual(receivedBy);
        expect(await settled(app, 3)).toMatchObject({ status: 'complete', image: expect.stringContaining(digests.stable!) });
        const late = await deliver(older);
        expect(late.status).toBe(202);
        const outcome = await evaluated(late.body.pushes[0].pushEventId);
        expect(outcome.outcomes).toEqual([expect.objectContaining({ result: 'skipped', reason: expect.stringMatching(/^out of order: a newer push of stable/) })]);
        expect((await releases(app))[0]!.version).toBe(3);
      });
    }
  });
});
