import { request as httpRequest } from 'node:http';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject, type ServiceName } from '@hangar/contracts';
import {
  HangarProcesses,
  fleetFetch,
  fleetMachines,
  holdLeases,
  flyToml,
  pushEvaluation,
  pushTestImages,
  registryWebhook,
  settledRelease,
  signDelivery,
  startHangarE2e,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
} from '@hangar/testing';

/*
 * The security review's bad-input table (/work/shared/reviews/security-review-1b755f7.md, "Bad inputs
 * tried"), re-run against a running Hangar: every HTTP and NATS-command row asserts the review's
 * *expected* column, and that a refused input changed nothing. NATS rows that the review sent with a token
 * are sent by outside publishers bound to tokens: `ops` (admin) for the validation rows 68-70, whose
 * payloads name no app of a narrower token. Rows tested elsewhere, by the test that covers them:
 *   78      test/forged-bus.e2e-spec.ts 'refuses forged events from the feed reader and publishers at the server; acts on none published with a service key, counting each'
 *   79, 81  test/forged-bus.e2e-spec.ts 'shows no token and no secret value to any credential a non-service holder can have, subscribed to everything it may'
 *   80      test/forged-bus.e2e-spec.ts 'lets no one in without credentials' (nobody is anonymous), and here (row 80: …): no
 *           identity but the secrets service may subscribe to transport-key, so none can answer it first
 *   82, 83  test/forged-bus.e2e-spec.ts "keeps the feed reader off Hangar's own durable consumers: it can neither read nor delete them (review rows 82, 83)"
 *   84, 85  test/forged-bus.e2e-spec.ts 'refuses forged events from the feed reader and publishers at the server; acts on none published with a service key, counting each'
 *   88      apps/builder/src/image/registry-guard.int-spec.ts 'never contacts a realm on another host that is private, link-local or (in production) loopback'
 *           (and 'refuses a token endpoint that redirects to another host, without contacting it'; rules: apps/builder/src/image/domain/address-policy.spec.ts)
 *   89      apps/builder/src/image/registry-guard.int-spec.ts 'stops reading a token endpoint that streams 1 MiB at the 64 KiB cap, and closes its connection'
 *   99, 100 test/registry-triggers.e2e-spec.ts 'a push whose digest is not the one its tag has at the registry deploys nothing; a pushedAt in 2099 is clamped, so the real push still deploys'
 *   101     libs/event-store/src/audit/keyed-chain.int-spec.ts 'detects a backdated recorded_at' (and chain-check.spec.ts 'catches a backdated recorded_at and a changed event id, …')
 *   102,103 libs/event-store/src/audit/keyed-chain.int-spec.ts 'detects a rewrite older than the last checkpoint, and never checkpoints over it (review rows 102-103)'
 *           (and store-verifier.int-spec.ts 'detects a stream rewritten with its chain recomputed by someone holding the key, against the checkpoint')
 *   113     libs/contracts/src/state-credential.spec.ts 'tightens an existing file and directory that others could read or write' (resolveAdminToken uses it)
 *   114     apps/gateway/src/releases/stream-limits.spec.ts 'bounds the streams of one caller and of everyone, and frees a slot once (review M6)'
 *           (the limiter alone), and here end to end (row 114: …)
 */

interface Answer {
  status: number;
  body: any;
  text: string;
}
type Row = readonly [number, string, () => Promise<void>];

describe('the security review bad-input table (e2e)', () => {
  const ns = testNamespace('rv');
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let image = '';
  const tokens: Record<'reader' | 'deployer' | 'pusher', string> = { reader: '', deployer: '', pusher: '' };
  const nats: Record<'reader' | 'deployer' | 'stranger' | 'ops', NatsConnection | undefined> = { reader: undefined, deployer: undefined, stranger: undefined, ops: undefined };
  const others: NatsConnection[] = [];
  let receiver: { id: string; url: string; secret: string };

  /** An HTTP call to the gateway (or `base`) as `token`: the admin token by default, none with `null`. */
  async function call(method: string, path: string, opts: { token?: string | null; json?: unknown; raw?: string; headers?: Record<string, string>; base?: string } = {}): Promise<Answer> {
    const token = opts.token === undefined ? hangar.adminToken : opts.token;
    const body = opts.raw ?? (opts.json === undefined ? undefined : JSON.stringify(opts.json));
    const res = await fetch(`${opts.base ?? hangar.apiUrl}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  }

  /** A command over NATS as `nc`; `payload` a string is sent as is. The reply, parsed. */
  async function ask(nc: NatsConnection, service: ServiceName, command: string, payload: unknown, opts: { token?: string; timeoutMs?: number } = {}): Promise<any> {
    const h = natsHeaders();
    if (opts.token) h.set('Authorization', `Bearer ${opts.token}`);
    const data = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const msg = await nc.request(commandSubject(ns, service, command), data, { timeout: opts.timeoutMs ?? 30_000, headers: h });
    return JSON.parse(new TextDecoder().decode(msg.data));
  }

  const count = async (sql: string, params: unknown[] = []) => Number((await pg.query<{ n: string }>(sql, params)).rows[0]!.n);
  const stored = (type: string, app?: string) => count(`SELECT count(*) AS n FROM events WHERE type = $1 AND ($2::text IS NULL OR data->>'app' = $2)`, [type, app ?? null]);
  const tokenNames = async () => ((await call('GET', '/v1/tokens')).body.tokens as { name: string }[]).map((t) => t.name).sort();
  const appExists = async (name: string) => (await call('GET', `/v1/apps/${name}`)).status === 200;
  const nc = (who: keyof typeof nats) => nats[who]!;

  /** Runs `check`, then asserts that `unchanged` reads the same as before it. */
  function same(unchanged: () => Promise<unknown>, check: () => Promise<void>): () => Promise<void> {
    return async () => {
      const before = await unchanged();
      await check();
      expect(await unchanged()).toEqual(before);
    };
  }

  function expectError(res: Answer, status: number, code?: string, message?: string | RegExp): void {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code: code ?? expect.anything() });
    if (message !== undefined) expect(res.body.error.message).toMatch(message);
  }

  /** Binds a new API token to outside NATS publisher `identity` and connects as it; resolves to the token's secret. */
  async function boundToken(identity: 'reader' | 'deployer' | 'ops', name: string, scopes: string[]): Promise<string> {
    const res = await call('POST', '/v1/tokens', { json: { name, scopes, natsKey: hangar.natsServer!.publicKey(name) } });
    expect(res.status).toBe(201);
    nats[identity] = await hangar.natsConnect(name);
    return res.body.secret as string;
  }

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_review', namespace: ns, fleetBootMs: 50, nats: { publishers: ['mine-reader', 'mine-deployer', 'stranger', 'ops'], feedReaders: ['feed'] } });
    ({ pg, hangar } = e2e);
    image = (await pushTestImages(`review-${uniqueSuffix()}`, ['v1'])).v1!;
    for (const name of ['mine', 'victim']) expect((await call('POST', '/v1/apps', { json: { name } })).status).toBe(201);
    tokens.reader = await boundToken('reader', 'mine-reader', ['app:mine:read']);
    tokens.deployer = await boundToken('deployer', 'mine-deployer', ['app:mine:deploy']);
    await boundToken('ops', 'ops', ['admin']);
    nats.stranger = await hangar.natsConnect('stranger');
    tokens.pusher = (await call('POST', '/v1/tokens', { json: { name: 'pusher', scopes: ['registry:push'] } })).body.secret;
    receiver = (await call('POST', '/v1/receivers', { json: { source: 'distribution', host: 'registry.example.com' } })).body.receiver;
    // victim runs with a secret, so that reading its machines without a token would show it.
    expect((await call('POST', '/v1/apps/victim/secrets', { json: { set: { DB_PASS: 'hunter2' }, stage: true } })).status).toBe(201);
    expect((await call('POST', '/v1/apps/victim/deploys', { json: { configToml: flyToml('victim', image) } })).status).toBe(202);
    expect(await settledRelease(hangar, 'victim', 1)).toMatchObject({ status: 'complete' });
  }, 180_000);

  afterAll(async () => {
    for (const c of [...Object.values(nats), ...others]) await c?.close().catch(() => undefined);
    await e2e?.stop();
  });

  describe('HTTP authentication and scopes', () => {
    const rows: Row[] = [
      [1, 'GET /v1/apps without Authorization is 401', async () => expectError(await call('GET', '/v1/apps', { token: null }), 401, 'AUTH.UNAUTHORIZED')],
      [2, 'GET /v1/apps with an unknown token is 401', async () => expectError(await call('GET', '/v1/apps', { token: 'not-a-token-0123456789abcdef' }), 401, 'AUTH.UNAUTHORIZED')],
      [
        3,
        '50 wrong tokens back to back are each 401',
        async () => {
          const statuses: number[] = [];
          for (let i = 0; i < 50; i++) statuses.push((await call('GET', '/v1/apps', { token: `wrong-token-${i}-0123456789abcdef` })).status);
          expect(statuses).toEqual(Array(50).fill(401));
        },
      ],
      [4, 'GET /v1/apps/victim with app:mine:deploy is 403 naming app:victim:read', async () => expectError(await call('GET', '/v1/apps/victim', { token: tokens.deployer }), 403, 'AUTH.FORBIDDEN', /app:victim:read/)],
      [
        5,
        'POST /v1/apps/victim/deploys with app:mine:deploy is 403 and queues nothing',
        same(
          () => stored('ReleaseQueued', 'victim'),
          async () => expectError(await call('POST', '/v1/apps/victim/deploys', { token: tokens.deployer, json: { configToml: flyToml('victim', image) } }), 403, 'AUTH.FORBIDDEN'),
        ),
      ],
      [
        6,
        'POST /v1/apps/mine/deploys with app:mine:read is 403 and queues nothing',
        same(
          () => stored('ReleaseQueued', 'mine'),
          async () => expectError(await call('POST', '/v1/apps/mine/deploys', { token: tokens.reader, json: { configToml: flyToml('mine', image) } }), 403, 'AUTH.FORBIDDEN'),
        ),
      ],
      [7, 'GET /v1/audit with app:mine:read is 403', async () => expectError(await call('GET', '/v1/audit', { token: tokens.reader }), 403, 'AUTH.FORBIDDEN')],
      [8, 'GET /v1/tokens with an app token is 403', async () => expectError(await call('GET', '/v1/tokens', { token: tokens.deployer }), 403, 'AUTH.FORBIDDEN')],
      [
        9,
        'POST /v1/apps with an app token is 403 and creates no app',
        async () => {
          expectError(await call('POST', '/v1/apps', { token: tokens.deployer, json: { name: 'by-app-token' } }), 403, 'AUTH.FORBIDDEN');
          expect(await appExists('by-app-token')).toBe(false);
        },
      ],
      [10, 'GET /v1/pushes with registry:push is 403', async () => expectError(await call('GET', '/v1/pushes', { token: tokens.pusher }), 403, 'AUTH.FORBIDDEN')],
      [11, 'GET /v1/apps/mine/secrets with registry:push is 403', async () => expectError(await call('GET', '/v1/apps/mine/secrets', { token: tokens.pusher }), 403, 'AUTH.FORBIDDEN')],
      [
        12,
        'GET /v1/apps with app:mine:deploy lists only mine',
        async () => {
          const res = await call('GET', '/v1/apps', { token: tokens.deployer });
          expect(res.status).toBe(200);
          expect(res.body.apps.map((a: { name: string }) => a.name)).toEqual(['mine']);
        },
      ],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('HTTP app names and versions in paths', () => {
    const rows: Row[] = [
      [13, 'GET /v1/apps/a.b is 400 naming the app name', async () => expectError(await call('GET', '/v1/apps/a.b'), 400, 'REQUEST.INVALID', /app must be a valid app name/)],
      [14, 'GET /v1/apps/a* is 400', async () => expectError(await call('GET', '/v1/apps/a*'), 400, 'REQUEST.INVALID')],
      [15, 'GET /v1/apps/%3E (">") is 400', async () => expectError(await call('GET', '/v1/apps/%3E'), 400, 'REQUEST.INVALID')],
      [
        16,
        'GET /v1/apps/mine%2F..%2Fvictim with the mine token is 403 and shows nothing of victim',
        async () => {
          const res = await call('GET', '/v1/apps/mine%2F..%2Fvictim', { token: tokens.deployer });
          expectError(res, 403, 'AUTH.FORBIDDEN');
          expect(res.body.app).toBeUndefined();
        },
      ],
      [17, 'GET /v1/apps/MINE with the mine token is 403', async () => expectError(await call('GET', '/v1/apps/MINE', { token: tokens.deployer }), 403, 'AUTH.FORBIDDEN')],
      [18, 'GET …/releases/v99999999999 is 400', async () => expectError(await call('GET', '/v1/apps/mine/releases/v99999999999'), 400, 'REQUEST.INVALID')],
      [19, 'GET …/releases/v0 is 400', async () => expectError(await call('GET', '/v1/apps/mine/releases/v0'), 400, 'REQUEST.INVALID')],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('HTTP tokens: refused and none created', () => {
    const create = (json: unknown) => call('POST', '/v1/tokens', { json });
    const rows: Row[] = [
      [20, "scope app:*:deploy is 422 TOKEN.INVALID_SCOPE", same(tokenNames, async () => expectError(await create({ name: 't20', scopes: ['app:*:deploy'] }), 422, 'TOKEN.INVALID_SCOPE'))],
      [21, 'scope app:a.b:deploy is 422 TOKEN.INVALID_SCOPE', same(tokenNames, async () => expectError(await create({ name: 't21', scopes: ['app:a.b:deploy'] }), 422, 'TOKEN.INVALID_SCOPE'))],
      [22, 'name admin is 422 TOKEN.INVALID_NAME', same(tokenNames, async () => expectError(await create({ name: 'admin', scopes: ['app:mine:read'] }), 422, 'TOKEN.INVALID_NAME'))],
      [23, 'name system is 422 TOKEN.INVALID_NAME', same(tokenNames, async () => expectError(await create({ name: 'system', scopes: ['app:mine:read'] }), 422, 'TOKEN.INVALID_NAME'))],
      [24, 'name Upper is 422 TOKEN.INVALID_NAME', same(tokenNames, async () => expectError(await create({ name: 'Upper', scopes: ['app:mine:read'] }), 422, 'TOKEN.INVALID_NAME'))],
      [
        25,
        'reusing the name mine-deployer with scope admin is 409 TOKEN.CONFLICT, and mine-deployer keeps its scope',
        same(
          async () => ((await call('GET', '/v1/tokens')).body.tokens as { name: string; scopes: string[] }[]).map((t) => [t.name, t.scopes]),
          async () => expectError(await create({ name: 'mine-deployer', scopes: ['admin'] }), 409, 'TOKEN.CONFLICT'),
        ),
      ],
      [26, 'scopes "admin" (a string) is 422', same(tokenNames, async () => expectError(await create({ name: 't26', scopes: 'admin' }), 422))],
      [27, 'scopes [] is 422', same(tokenNames, async () => expectError(await create({ name: 't27', scopes: [] }), 422))],
      [28, 'scopes [1] is 422', same(tokenNames, async () => expectError(await create({ name: 't28', scopes: [1] }), 422))],
      [29, 'name ["x4"] is 422', same(tokenNames, async () => expectError(await create({ name: ['x4'], scopes: ['app:mine:read'] }), 422))],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('HTTP bodies', () => {
    const apps = async () => ((await call('GET', '/v1/apps')).body.apps as { name: string }[]).map((a) => a.name).sort();
    const queued = () => stored('ReleaseQueued', 'mine');
    const rows: Row[] = [
      [
        30,
        'POST /v1/apps with 1.1 MB of JSON is 413 REQUEST.TOO_LARGE',
        same(apps, async () => expectError(await call('POST', '/v1/apps', { raw: JSON.stringify({ name: 'big', pad: 'x'.repeat(1_100_000) }) }), 413, 'REQUEST.TOO_LARGE')),
      ],
      [31, 'a deploy body [[[…]]] 5000 deep is 400', same(queued, async () => expectError(await call('POST', '/v1/apps/mine/deploys', { raw: `${'['.repeat(5000)}${']'.repeat(5000)}` }), 400, 'REQUEST.INVALID'))],
      [
        32,
        'a deploy body {"a":{"a":…}} 3000 deep is 400',
        same(queued, async () => expectError(await call('POST', '/v1/apps/mine/deploys', { raw: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}` }), 400, 'REQUEST.INVALID', /nested deeper/)),
      ],
      [33, 'POST /v1/apps with body [1,2] is 400', same(apps, async () => expectError(await call('POST', '/v1/apps', { raw: '[1,2]' }), 400, 'REQUEST.INVALID'))],
      [34, 'POST /v1/apps with body "not json" is 400 malformed', same(apps, async () => expectError(await call('POST', '/v1/apps', { raw: 'not json' }), 400, 'REQUEST.INVALID', /malformed request body/))],
      [
        35,
        'a __proto__ key pollutes nothing: x-proto is created as a v2 app',
        async () => {
          const res = await call('POST', '/v1/apps', { raw: '{"name":"x-proto","__proto__":{"machines":true}}' });
          expect(res.status).toBe(201);
          expect(res.body.app).toMatchObject({ name: 'x-proto', platformVersion: 'v2' });
        },
      ],
      [
        36,
        'an unknown property is 400 naming it, and creates no app',
        async () => {
          expectError(await call('POST', '/v1/apps', { json: { name: 'x-extra', evil: 1 } }), 400, 'REQUEST.INVALID', /evil should not exist/);
          expect(await appExists('x-extra')).toBe(false);
        },
      ],
      [
        37,
        'urlencoded machines[a][b][c]=1 is 400 "machines must be a boolean", and creates no app',
        async () => {
          const res = await call('POST', '/v1/apps', { raw: 'name=x-form&machines[a][b][c]=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
          expectError(res, 400, 'REQUEST.INVALID', /machines must be a boolean/);
          expect(await appExists('x-form')).toBe(false);
        },
      ],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('HTTP secrets: refused, no value echoed, no version recorded', () => {
    const change = (json: unknown) => call('POST', '/v1/apps/mine/secrets', { token: tokens.deployer, json });
    const versions = () => stored('SecretsUpdated', 'mine');
    const refusedQuietly = (json: unknown, status: number, code: string, value: string, message?: RegExp) =>
      same(versions, async () => {
        const res = await change(json);
        expectError(res, status, code, message);
        expect(res.text).not.toContain(value);
      });
    const rows: Row[] = [
      [38, 'name "bad name" is 422 SECRETS.INVALID_NAME naming the name only', refusedQuietly({ set: { 'bad name': 'value-38-abcdef' } }, 422, 'SECRETS.INVALID_NAME', 'value-38-abcdef', /bad name/)],
      [39, 'name FLY_X is 422 SECRETS.RESERVED_NAME', refusedQuietly({ set: { FLY_X: 'value-39-abcdef' } }, 422, 'SECRETS.RESERVED_NAME', 'value-39-abcdef')],
      [40, 'a value with NUL is refused at the edge: 400 REQUEST.INVALID', refusedQuietly({ set: { A: 'value-40\u0000abcdef' } }, 400, 'REQUEST.INVALID', 'value-40')],
      [41, 'a value 12345 (a number) is 422 SECRETS.INVALID_VALUE', refusedQuietly({ set: { A: 12345 } }, 422, 'SECRETS.INVALID_VALUE', '12345')],
      [42, 'a value of 72,000 bytes is 422 SECRETS.VALUE_TOO_LARGE giving the size only', refusedQuietly({ set: { A: 'v'.repeat(72_000) } }, 422, 'SECRETS.VALUE_TOO_LARGE', 'v'.repeat(100), /72000 bytes/)],
      [43, 'set: "DB_PASS=x" is 400', refusedQuietly({ set: 'DB_PASS=x-43-abcdef' }, 400, 'REQUEST.INVALID', 'x-43-abcdef')],
      [44, 'set A and unset A is 422 SECRETS.CONFLICTING_CHANGE', refusedQuietly({ set: { A: 'value-44-abcdef' }, unset: ['A'] }, 422, 'SECRETS.CONFLICTING_CHANGE', 'value-44-abcdef')],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('registry webhooks', () => {
    const fixtures = registryWebhook('distribution');
    const push = (tag: string, host?: string) => fixtures.push({ repository: 'review/web', tag, ...(host ? { host } : {}) });
    const pushes = () => count(`SELECT count(*) AS n FROM events WHERE type IN ('ImagePushed', 'RegistryDeliveryIgnored')`);
    const post = (url: string, body: string, headers: Record<string, string>) => call('POST', url.replace(hangar.apiUrl, ''), { token: null, raw: body, headers });
    const signed = (tag: string) => signDelivery('distribution', receiver.secret, push(tag));

    /** POSTs to the receiver without ending the body: declared as `declared` bytes, or chunked; resolves to the answer that comes first. */
    const streamed = (declared?: number) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('no answer within 15 s')), 15_000);
        const req = httpRequest(receiver.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${receiver.secret}`, ...(declared ? { 'Content-Length': String(declared) } : {}) } }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            clearTimeout(deadline);
            req.destroy();
            resolve({ status: r.statusCode ?? 0, body: Buffer.concat(parts).toString() });
          });
        });
        req.on('error', () => undefined);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const next = (): void => {
          // With a declared length, one chunk only: the answer must not wait for the rest.
          if (req.destroyed || sent > 1_600_000 || (declared && sent > 0)) return;
          sent += chunk.length;
          if (req.write(chunk)) setImmediate(next);
          else req.once('drain', next);
        };
        next();
      });

    const rows: Row[] = [
      [45, 'no Authorization is 401', same(pushes, async () => expectError(await post(receiver.url, push('45').body, push('45').headers), 401, 'WEBHOOK.UNAUTHORIZED'))],
      [46, 'a wrong bearer is 401', same(pushes, async () => expectError(await post(receiver.url, push('46').body, { ...push('46').headers, authorization: 'Bearer not-the-secret-0123456789' }), 401, 'WEBHOOK.UNAUTHORIZED'))],
      [
        47,
        'the secret as ?token= on a bearer receiver is 401',
        same(pushes, async () => expectError(await post(`${receiver.url}?token=${encodeURIComponent(receiver.secret)}`, push('47').body, push('47').headers), 401, 'WEBHOOK.UNAUTHORIZED')),
      ],
      [
        48,
        'an unknown well-formed receiver id is 404 REGISTRY.RECEIVER_NOT_FOUND',
        same(pushes, async () => {
          const unknown = receiver.id === '01ARZ3NDEKTSV4RRFFQ69G5FAV' ? '01ARZ3NDEKTSV4RRFFQ69G5FAW' : '01ARZ3NDEKTSV4RRFFQ69G5FAV';
          const res = await post(`${hangar.apiUrl}/v1/webhooks/registry/${unknown}`, signed('48').body, signed('48').headers);
          expectError(res, 404, 'REGISTRY.RECEIVER_NOT_FOUND');
        }),
      ],
      [49, 'receiver id ..%2F..%2Fv1%2Fapps is 404', same(pushes, async () => expectError(await post(`${hangar.apiUrl}/v1/webhooks/registry/..%2F..%2Fv1%2Fapps`, signed('49').body, signed('49').headers), 404))],
      [
        50,
        'Content-Length: 2000000 is 413 before the body is read',
        same(pushes, async () => {
          const res = await streamed(2_000_000);
          expect(res.status).toBe(413);
          expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'WEBHOOK.TOO_LARGE' } });
        }),
      ],
      [
        51,
        'a chunked body of 1.5 MB is 413',
        same(pushes, async () => {
          const res = await streamed();
          expect(res.status).toBe(413);
          expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'WEBHOOK.TOO_LARGE' } });
        }),
      ],
      [52, 'malformed JSON with valid auth is 400 WEBHOOK.INVALID_PAYLOAD', same(pushes, async () => expectError(await post(receiver.url, '{"events": [', signed('52').headers), 400, 'WEBHOOK.INVALID_PAYLOAD'))],
      [
        53,
        'an identical delivery replayed is 202 "duplicate" and records nothing new',
        async () => {
          const delivery = signed('53');
          const first = await post(receiver.url, delivery.body, delivery.headers);
          expect(first.status).toBe(202);
          expect(first.body.pushes).toEqual([expect.objectContaining({ status: 'recorded', tag: '53' })]);
          await pushEvaluation(pg, hangar, first.body.pushes[0].pushEventId);
          const before = await pushes();
          const again = await post(receiver.url, delivery.body, delivery.headers);
          expect(again.status).toBe(202);
          expect(again.body.pushes).toEqual([expect.objectContaining({ status: 'duplicate', pushEventId: first.body.pushes[0].pushEventId })]);
          expect(await pushes()).toBe(before);
        },
      ],
      [
        54,
        'JSON nested 400k deep with valid auth is 400',
        same(pushes, async () => expectError(await post(receiver.url, `{"events":${'['.repeat(400_000)}${']'.repeat(400_000)}}`, signed('54').headers), 400, 'WEBHOOK.INVALID_PAYLOAD')),
      ],
      [
        55,
        'request.host "evil.example/../x" is 400 "not a registry host"',
        same(pushes, async () => {
          const fixture = signDelivery('distribution', receiver.secret, push('55', 'evil.example/../x'));
          expectError(await post(receiver.url, fixture.body, fixture.headers), 400, 'WEBHOOK.INVALID_PAYLOAD', /not a registry host/);
        }),
      ],
      [
        56,
        '50 unauthenticated POSTs to a live receiver are each 401',
        same(pushes, async () => {
          const statuses: number[] = [];
          for (let i = 0; i < 50; i++) statuses.push((await post(receiver.url, push(`56-${i}`).body, push(`56-${i}`).headers)).status);
          expect(statuses).toEqual(Array(50).fill(401));
        }),
      ],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('HTTP audit queries and public routes', () => {
    const audit = (query: string) => call('GET', `/v1/audit?${query}`);
    const rows: Row[] = [
      [57, '/v1/audit?limit=1001 is 400', async () => expectError(await audit('limit=1001'), 400, 'REQUEST.INVALID', /limit/)],
      [58, '/v1/audit?limit=0 is 400', async () => expectError(await audit('limit=0'), 400, 'REQUEST.INVALID', /limit/)],
      [59, '/v1/audit?limit=abc is 400', async () => expectError(await audit('limit=abc'), 400, 'REQUEST.INVALID', /limit/)],
      [60, '/v1/audit?after=999999999 is 422 AUDIT.INVALID_CURSOR', async () => expectError(await audit('after=999999999'), 422, 'AUDIT.INVALID_CURSOR')],
      [61, '/v1/audit?after=-1 is 400', async () => expectError(await audit('after=-1'), 400, 'REQUEST.INVALID', /after/)],
      [62, '/v1/audit?foo=bar is 400 unknown filter', async () => expectError(await audit('foo=bar'), 400, 'REQUEST.INVALID', /unknown filter/)],
      [63, '/v1/audit?since=yesterday is 400', async () => expectError(await audit('since=yesterday'), 400, 'REQUEST.INVALID', /since/)],
      [64, '/v1/audit?type=A;DROP is 400', async () => expectError(await audit('type=A;DROP'), 400, 'REQUEST.INVALID', /type/)],
      [
        65,
        "/v1/audit?app=x' OR 1=1-- injects nothing: 200 with no events",
        async () => {
          const res = await audit(`app=${encodeURIComponent("x' OR 1=1--")}`);
          expect(res.status).toBe(200);
          expect(res.body.events).toEqual([]);
        },
      ],
      [
        66,
        '/metrics, /docs and /docs/openapi.json answer 200 without a token (documented public)',
        async () => {
          for (const path of ['/metrics', '/docs', '/docs/openapi.json']) expect([path, (await call('GET', path, { token: null })).status]).toEqual([path, 200]);
        },
      ],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('NATS commands from outside publishers', () => {
    /** A create-release payload for mine whose `config` is an object nested `levels` deep (too deep for JSON.stringify here). */
    const deepRelease = (levels: number) => `{"app":"mine","image":${JSON.stringify(image)},"config":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
    const rows: Row[] = [
      [
        67,
        'get-app from a publisher bound to no token is AUTH.UNAUTHORIZED; one carrying a Bearer token too',
        async () => {
          expect((await ask(nc('stranger'), 'releaser', 'get-app', { app: 'mine' })).error).toMatchObject({ code: 'AUTH.UNAUTHORIZED' });
          const withToken = await ask(nc('reader'), 'releaser', 'get-app', { app: 'mine' }, { token: tokens.reader });
          expect(withToken).toEqual({ error: expect.objectContaining({ code: 'AUTH.UNAUTHORIZED', message: expect.stringContaining('do not take tokens') }) });
        },
      ],
      [68, 'a body "not json" is REQUEST.INVALID', async () => expect((await ask(nc('ops'), 'releaser', 'get-app', 'not json')).error).toMatchObject({ code: 'REQUEST.INVALID' })],
      [69, 'a body [1] is REQUEST.INVALID', async () => expect((await ask(nc('ops'), 'releaser', 'get-app', [1])).error).toMatchObject({ code: 'REQUEST.INVALID' })],
      [70, 'get-app {"app":"a.b.>"} is REQUEST.INVALID', async () => expect((await ask(nc('ops'), 'releaser', 'get-app', { app: 'a.b.>' })).error).toMatchObject({ code: 'REQUEST.INVALID' })],
      [
        71,
        'create-release with 5000-deep JSON is REQUEST.INVALID and queues nothing',
        same(
          () => stored('ReleaseQueued', 'mine'),
          async () => expect((await ask(nc('deployer'), 'releaser', 'create-release', deepRelease(5000))).error).toMatchObject({ code: 'REQUEST.INVALID' }),
        ),
      ],
      [
        72,
        'list-apps {"app":"mine"} with app:mine:read is AUTH.FORBIDDEN and lists no app',
        async () => {
          const reply = await ask(nc('reader'), 'releaser', 'list-apps', { app: 'mine' });
          expect(reply).toEqual({ error: expect.objectContaining({ code: 'AUTH.FORBIDDEN', message: expect.stringContaining('admin') }) });
        },
      ],
      [
        73,
        'list-receivers {"app":"mine"} with a read token is AUTH.FORBIDDEN and lists no receiver',
        async () => {
          const reply = await ask(nc('reader'), 'builder', 'list-receivers', { app: 'mine' });
          expect(reply).toEqual({ error: expect.objectContaining({ code: 'AUTH.FORBIDDEN' }) });
          expect(JSON.stringify(reply)).not.toContain(receiver.id);
        },
      ],
      [74, 'transport-key {"app":"mine"} with a deploy token is AUTH.FORBIDDEN, no key', async () => expect(await ask(nc('deployer'), 'secrets', 'transport-key', { app: 'mine' })).toEqual({ error: expect.objectContaining({ code: 'AUTH.FORBIDDEN' }) })],
      [
        75,
        'rotate-key {"app":"mine"} with a deploy token is refused and rotates nothing',
        same(
          () => count(`SELECT count(*) AS n FROM events WHERE type LIKE '%Rotat%'`),
          async () => expect((await ask(nc('deployer'), 'secrets', 'rotate-key', { app: 'mine' })).error).toMatchObject({ code: 'AUTH.FORBIDDEN' }),
        ),
      ],
      [
        76,
        'get-values with a deploy token is refused by NATS before Hangar sees it: no answer, no values',
        async () => {
          const reply = ask(nc('deployer'), 'secrets', 'get-values', { app: 'victim', version: 1 });
          await expect(reply).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION', permissionContext: { operation: 'publish', subject: commandSubject(ns, 'secrets', 'get-values') } });
        },
      ],
      [
        77,
        'allocate-ip {…,"actor":"admin"} with a deploy token records the actor mine-deployer',
        async () => {
          const reply = await ask(nc('deployer'), 'releaser', 'allocate-ip', { app: 'mine', type: 'v6', actor: 'admin' });
          expect(reply.error).toBeUndefined();
          const { rows } = await pg.query(`SELECT metadata->>'actor' AS actor FROM events WHERE type = 'IpAllocated' AND data->>'app' = 'mine'`);
          expect(rows).toEqual([{ actor: 'mine-deployer' }]);
        },
      ],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());

    it('row 80: no identity but the secrets service may subscribe to secrets.transport-key, so none can answer it first', async () => {
      const subject = commandSubject(ns, 'secrets', 'transport-key');
      const denied: string[] = [];
      for (const identity of ['stranger', 'mine-deployer', 'ops', 'feed', 'gateway', 'releaser', 'builder', 'machine-updater']) {
        const conn = await hangar.natsConnect(identity);
        others.push(conn);
        conn.subscribe(subject, { callback: (err) => err && denied.push(identity) });
        await conn.flush();
      }
      await waitFor(hangar, 'every subscription refused', async () => denied.length === 8);
      expect(denied.sort()).toEqual(['builder', 'feed', 'gateway', 'machine-updater', 'mine-deployer', 'ops', 'releaser', 'stranger']);
    });
  });

  describe('fleet without its token', () => {
    const rows: Row[] = [
      [
        86,
        "GET /v1/apps/victim/machines is 401 and shows none of victim's secrets",
        async () => {
          expect(JSON.stringify(await fleetMachines(hangar, 'victim'))).toContain('hunter2');
          const res = await call('GET', '/v1/apps/victim/machines', { token: null, base: hangar.fleetUrl });
          expect(res.status).toBe(401);
          expect(res.text).not.toContain('hunter2');
        },
      ],
      [
        87,
        'POST /fleet/v1/faults is 401 and adds no fault',
        same(
          async () => (await fleetFetch(hangar, '/fleet/v1/faults')).json(),
          async () => expect((await call('POST', '/fleet/v1/faults', { token: null, base: hangar.fleetUrl, json: { match: { app: 'victim' }, effect: 'crash-on-start' } })).status).toBe(401),
        ),
      ],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('deploy configs: refused with 400, nothing queued', () => {
    const deploy = (json: Record<string, unknown>) => call('POST', '/v1/apps/mine/deploys', { token: tokens.deployer, json: { image, ...json } });
    const queued = () => stored('ReleaseQueued', 'mine');
    const refused = (json: Record<string, unknown>, message?: RegExp) => same(queued, async () => expectError(await deploy(json), 400, 'CONFIG.INVALID', message));
    const groups = Array.from({ length: 2000 }, (_, i) => `g${i} = ""`).join('\n');
    const rows: Row[] = [
      [
        90,
        'config JSON with bogus services, checks and env (dry run)',
        refused({ dryRun: true, config: { processes: { app: '' }, env: { X: { nested: 1 }, Y: 5 }, checks: 'nope', services: [{ bogus: true }] } }, /^config: /),
      ],
      [91, 'config JSON with mounts: "none", vm: "big" (a real deploy)', refused({ config: { processes: { app: '' }, env: {}, mounts: 'none', vm: 'big' } }, /mounts/)],
      [92, 'config JSON with maxUnavailable: -5', refused({ config: { processes: { app: '' }, env: {}, deploy: { maxUnavailable: -5 } } }, /max_?unavailable/i)],
      [93, 'fly.toml max_unavailable = -5, naming the line', refused({ configToml: flyToml('mine', image, '\n[deploy]\nmax_unavailable = -5\n') }, /^fly\.toml:8: /)],
      [94, 'fly.toml [processes] "a.b>*" = ""', refused({ configToml: flyToml('mine', image, '\n[processes]\n"a.b>*" = ""\n') }, /is not a process group name/)],
      [95, 'fly.toml with 2000 process groups (dry run) is capped', refused({ dryRun: true, configToml: flyToml('mine', image, `\n[processes]\n${groups}\n`) }, /defines 2000 process groups; at most 100/)],
      [96, 'fly.toml with arrays nested 2000 deep', refused({ configToml: flyToml('mine', image, `\n[env]\nA = ${'['.repeat(2000)}${']'.repeat(2000)}\n`) }, /nested/)],
      [97, 'fly.toml syntax error, naming the line', refused({ configToml: 'app = "mine"\nprimary_region = \n' }, /^fly\.toml:2: .*invalid TOML/)],
      [98, 'fly.toml [env] A = "a\\u0000b" is CONFIG.INVALID, not 500', refused({ configToml: flyToml('mine', image, '\n[env]\nA = "a\\u0000b"\n') }, /NUL/)],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  describe('scale, machines, IPs, triggers and receivers: 400, nothing changed', () => {
    const machines = async () => (await call('GET', '/v1/apps/mine/machines')).body.machines;
    const receivers = async () => ((await call('GET', '/v1/receivers')).body.receivers as { id: string }[]).map((r) => r.id);
    const triggers = async () => (await call('GET', '/v1/apps/mine/triggers')).body.triggers;
    const rows: Row[] = [
      [104, 'scale {"count":1001}', same(machines, async () => expectError(await call('POST', '/v1/apps/mine/scale', { token: tokens.deployer, json: { count: 1001 } }), 400, 'REQUEST.INVALID'))],
      [105, 'machine run region "../etc"', same(machines, async () => expectError(await call('POST', '/v1/apps/mine/machines', { token: tokens.deployer, json: { image, region: '../etc' } }), 400, 'REQUEST.INVALID', /region/))],
      [
        106,
        'machine run mount.path "relative"',
        same(machines, async () => expectError(await call('POST', '/v1/apps/mine/machines', { token: tokens.deployer, json: { image, mount: { volume: 'data', path: 'relative' } } }), 400, 'REQUEST.INVALID', /mount\.path/)),
      ],
      [
        107,
        'DELETE …/ips/not-an-ip',
        same(
          () => stored('IpReleased', 'mine'),
          async () => expectError(await call('DELETE', '/v1/apps/mine/ips/not-an-ip', { token: tokens.deployer }), 400, 'REQUEST.INVALID'),
        ),
      ],
      [108, 'DELETE …/machines/zzz', same(machines, async () => expectError(await call('DELETE', '/v1/apps/mine/machines/zzz', { token: tokens.deployer }), 400, 'REQUEST.INVALID'))],
      [109, 'a trigger image with a tag', same(triggers, async () => expectError(await call('POST', '/v1/apps/mine/triggers', { token: tokens.deployer, json: { image: 'ghcr.io/acme/web:1.0', tagPolicy: 'exact:1.0' } }), 400))],
      [110, 'a trigger tagPolicy "regex:.*"', same(triggers, async () => expectError(await call('POST', '/v1/apps/mine/triggers', { token: tokens.deployer, json: { image: 'ghcr.io/acme/web', tagPolicy: 'regex:.*' } }), 400))],
      [111, 'a receiver secret "short"', same(receivers, async () => expectError(await call('POST', '/v1/receivers', { json: { source: 'distribution', host: 'registry.example.com', secret: 'short' } }), 400, 'REQUEST.INVALID', /at least 16/))],
      [112, 'a receiver source "nope"', same(receivers, async () => expectError(await call('POST', '/v1/receivers', { json: { source: 'nope' } }), 400))],
    ];
    it.each(rows)('row %s: %s', async (_row, _what, check) => check());
  });

  it('row 114: event streams that follow a queued release are bounded per caller (the 21st is 429) and all end with the release', async () => {
    const follower = (await call('POST', '/v1/tokens', { json: { name: 'follower', scopes: ['app:victim:read'] } })).body.secret as string;
    const machines = (await fleetMachines(hangar, 'victim')).filter((m) => m.state !== 'destroyed').map((m) => m.id);
    // The test holds victim's leases, as another deployer would: v2 runs and v3 stays queued behind it until they are let go.
    const release = await holdLeases(hangar, 'victim', machines);
    let held = true;
    try {
      for (const version of [2, 3]) expect((await call('POST', '/v1/apps/victim/deploys', { json: { configToml: flyToml('victim', image) } })).body.release).toMatchObject({ version });
      const follow = (token: string) => fetch(`${hangar.apiUrl}/v1/apps/victim/releases/v3/events?follow=true`, { headers: { Authorization: `Bearer ${token}` } });
      const open = await Promise.all(Array.from({ length: 20 }, () => follow(follower)));
      expect(open.map((r) => r.status)).toEqual(Array(20).fill(200));
      const refused = await follow(follower);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'REQUEST.TOO_MANY_STREAMS' } });
      const other = await follow(hangar.adminToken);
      expect(other.status).toBe(200);
      expect((await call('GET', '/v1/apps/victim/releases/v3')).body.release.status).toBe('queued');
      await release();
      held = false;
      const ends = await Promise.all([...open, other].map((r) => r.text()));
      expect(ends.filter((text) => text.includes('event: ReleaseCompleted') && text.endsWith('event: end\ndata: {}\n\n'))).toHaveLength(21);
      expect(await settledRelease(hangar, 'victim', 3)).toMatchObject({ status: 'complete' });
    } finally {
      if (held) await release();
    }
  });
});
