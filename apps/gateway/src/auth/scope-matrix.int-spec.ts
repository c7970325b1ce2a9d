import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { grants, type RequiredScope } from '@hangar/contracts';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';
import { GatewayModule } from '../gateway.module';
import { PUBLIC_ROUTE } from './bearer-auth.guard';
import { REQUIRED_SCOPE, type RouteScope } from './requires-scope.decorator';

jest.setTimeout(120_000);

/**
 * The scope each route must need, pinned here so a changed decorator fails the test. Routes added
 * later and not listed here are still exercised against the scope they declare (admin if none).
 */
const PINNED: Record<string, RouteScope | 'public'> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'POST /v1/apps': 'admin',
  'POST /v1/apps/import': 'admin',
  'GET /v1/apps': 'authenticated',
  'GET /v1/apps/:app': 'app:read',
  'DELETE /v1/apps/:app': 'app:deploy',
  'GET /v1/apps/:app/config': 'app:read',
  'POST /v1/apps/:app/deploys': 'app:deploy',
  'POST /v1/apps/:app/scale': 'app:deploy',
  'GET /v1/apps/:app/releases': 'app:read',
  'GET /v1/apps/:app/releases/:version': 'app:read',
  'GET /v1/apps/:app/releases/:version/events': 'app:read',
  'GET /v1/apps/:app/machines': 'app:read',
  'GET /v1/apps/:app/logs': 'app:read',
  'POST /v1/apps/:app/machines': 'app:deploy',
  'POST /v1/apps/:app/releases/:version/rollback': 'app:deploy',
  'POST /v1/apps/:app/releases/:version/cancel': 'app:deploy',
  'POST /v1/apps/:app/machines/:id/clone': 'app:deploy',
  'DELETE /v1/apps/:app/machines/:id': 'app:deploy',
  'GET /v1/apps/:app/machines/:id': 'app:read',
  'POST /v1/apps/:app/machines/:id/start': 'app:deploy',
  'POST /v1/apps/:app/machines/:id/stop': 'app:deploy',
  'POST /v1/apps/:app/machines/:id/restart': 'app:deploy',
  'GET /v1/apps/:app/images': 'app:read',
  'GET /v1/apps/:app/scale': 'app:read',
  'GET /v1/apps/:app/volumes': 'app:read',
  'POST /v1/apps/:app/volumes': 'app:deploy',
  'GET /v1/apps/:app/ips': 'app:read',
  'POST /v1/apps/:app/ips': 'app:deploy',
  'DELETE /v1/apps/:app/ips/:address': 'app:deploy',
  'GET /v1/apps/:app/secrets': 'app:read',
  'POST /v1/apps/:app/secrets': 'app:deploy',
  'POST /v1/apps/:app/secrets/deploy': 'app:deploy',
  'POST /v1/secrets/rotate-key': 'admin',
  'GET /v1/audit': 'audit:read',
  'GET /v1/audit/verify': 'audit:read',
  'POST /v1/audit/checkpoints': 'admin',
  'POST /v1/tokens': 'admin',
  'GET /v1/tokens': 'admin',
  'DELETE /v1/tokens/:name': 'admin',
  'POST /v1/receivers': 'admin',
  'GET /v1/receivers': 'admin',
  'DELETE /v1/receivers/:id': 'admin',
  'GET /v1/pushes': 'admin',
  'POST /v1/apps/:app/triggers': 'app:deploy',
  'GET /v1/apps/:app/triggers': 'app:read',
  'DELETE /v1/apps/:app/triggers/:id': 'app:deploy',
  'GET /v1/apps/:app/triggers/log': 'app:read',
  'POST /v1/webhooks/registry/:receiver': 'public',
};

const PARAMS: Record<string, string> = { app: 'x', version: 'v1', id: '0123456789abcd', address: '192.0.2.1', name: 'nobody', receiver: 'r' };

interface Route {
  method: string;
  path: string;
  scope: RouteScope | 'public';
}

/** Every route the gateway registers, read from its controllers' metadata, with the scope it declares. */
function gatewayRoutes(): Route[] {
  const controllers = GatewayModule.forRoot(gatewayConfig({}), 'unused-admin-token-0123456789').controllers ?? [];
  const routes: Route[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = (controller as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!;
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const path = `/${[base, sub].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      const isPublic = Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller);
      const declared: RouteScope = Reflect.getMetadata(REQUIRED_SCOPE, handler) ?? Reflect.getMetadata(REQUIRED_SCOPE, controller) ?? 'admin';
      routes.push({ method, path, scope: isPublic ? 'public' : declared });
    }
  }
  return routes;
}

function requirementFor(scope: RouteScope): RequiredScope {
  if (scope === 'app:read' || scope === 'app:deploy') return { kind: 'app', app: PARAMS.app!, access: scope === 'app:read' ? 'read' : 'deploy' };
  return { kind: scope };
}

describe('gateway scope matrix: every route × every kind of token', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  const adminToken = `admin-${testNamespace()}-0123456789`;
  const tokens: Record<string, { secret?: string; scopes: string[] }> = {
    admin: { scopes: ['admin'] },
    'audit:read': { scopes: ['audit:read'] },
    'app:x:read': { scopes: ['app:x:read'] },
    'app:x:deploy': { scopes: ['app:x:deploy'] },
    'app:y:deploy': { scopes: ['app:y:deploy'] },
    'registry:push': { scopes: ['registry:push'] },
    'registry:push:ghcr.io/acme/*': { scopes: ['registry:push:ghcr.io/acme/*'] },
  };

  const call = (method: string, path: string, secret?: string) =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(secret ? { Authorization: `Bearer ${secret}` } : {}) },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
    });

  beforeAll(async () => {
    db = await createTestDatabase('hangar_scopes');
    await prepareHangarDatabase(db.url);
    const started = await startGateway(
      gatewayConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: testNamespace('s'), HANGAR_HTTP_PORT: '0', HANGAR_ADMIN_TOKEN: adminToken }),
    );
    app = started.app;
    url = started.url;
    tokens.admin!.secret = adminToken;
    for (const [label, t] of Object.entries(tokens)) {
      if (label === 'admin') continue;
      const res = await fetch(`${url}/v1/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ name: label.replace(/[^a-z0-9._-]/g, '-'), scopes: t.scopes }),
      });
      expect(res.status).toBe(201);
      t.secret = ((await res.json()) as { secret: string }).secret;
    }
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('refuses a token whose registry:push target is malformed, naming it (422)', async () => {
    const res = await fetch(`${url}/v1/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name: 'bad-target', scopes: ['app:x:read', 'registry:push:GHCR.io/acme/web'] }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'TOKEN.INVALID_SCOPE', message: `scope "registry:push:GHCR.io/acme/web": target 'GHCR.io/acme/web' has no valid registry host: 'GHCR.io' must be a lower-case host[:port] such as ghcr.io` },
    });
    const listed = await fetch(`${url}/v1/tokens`, { headers: { Authorization: `Bearer ${adminToken}` } });
    expect(JSON.stringify(await listed.json())).not.toContain('bad-target');
  });

  it('pins every route it lists to a route that exists', () => {
    const registered = new Set(gatewayRoutes().map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(PINNED).filter((k) => !registered.has(k))).toEqual([]);
  });

  it('gives 401 without or with a bad token, 403 without the scope, and lets the scope through', async () => {
    const routes = gatewayRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(PINNED).length);
    const failures: string[] = [];
    for (const route of routes) {
      const scope = PINNED[`${route.method} ${route.path}`] ?? route.scope;
      const path = route.path.replace(/:(\w+)/g, (_, p: string) => PARAMS[p] ?? 'p') + (route.path.endsWith('/machines') && route.method === 'GET' ? '?at=2026-01-01T00:00:00Z' : '');
      const cases: [string, string | undefined, 'allow' | 401 | 403][] = [
        ['none', undefined, scope === 'public' ? 'allow' : 401],
        ['bad', 'hgr_definitely-not-a-token', scope === 'public' ? 'allow' : 401],
        ...Object.entries(tokens).map(([label, t]): [string, string | undefined, 'allow' | 403] => [
          label,
          t.secret,
          scope === 'public' || grants(t.scopes, requirementFor(scope)) ? 'allow' : 403,
        ]),
      ];
      for (const [label, secret, expected] of cases) {
        const res = await call(route.method, path, secret);
        const body = (await res.text().then((t) => (t.startsWith('{') ? JSON.parse(t) : {}))) as { error?: { code?: string } };
        const ok =
          expected === 'allow'
            ? res.status !== 401 && res.status !== 403
            : res.status === expected && body.error?.code === (expected === 401 ? 'AUTH.UNAUTHORIZED' : 'AUTH.FORBIDDEN');
        if (!ok) failures.push(`${route.method} ${path} as ${label}: expected ${expected}, got ${res.status} ${JSON.stringify(body)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
