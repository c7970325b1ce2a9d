import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';
import { PUBLIC_ROUTE } from '../auth/bearer-auth.guard';
import { REQUIRED_SCOPE } from '../auth/requires-scope.decorator';
import { openApiDocument } from './openapi.document';
import { BEARER_SCHEME, scopeOf, type DocumentedScope } from './openapi-operations';

jest.setTimeout(120_000);

/** What `SwaggerModule.setup` registers for the UI's own files: served, but not operations of the API. */
const UI_FILES = ['GET /docs/index.html', 'GET /docs/LICENSE', 'GET /docs/swagger-ui-init.js', 'GET /docs/docs/swagger-ui-init.js'];
/** The UI and the document: `SwaggerModule.setup` routes, which have no controller to declare a scope. */
const SWAGGER_ROUTES = ['GET /docs', 'GET /docs/openapi.json'];
const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** `/v1/apps/:app/` → `/v1/apps/{app}`. */
const normalise = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/+$/, '$1');

/** Every method × path the Express app will answer, read from its router: Nest's controllers and anything mounted beside them. */
function servedRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] }; _router?: { stack: RouterLayer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const routes = new Set<string>();
  for (const { route } of stack) {
    if (!route) continue;
    for (const path of Array.isArray(route.path) ? route.path : [route.path]) {
      for (const method of Object.keys(route.methods)) routes.add(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${normalise(path)}`);
    }
  }
  return [...routes].filter((r) => !UI_FILES.includes(r)).sort();
}

/** Every operation the document lists, with the operation. */
function documentedOperations(doc: OpenAPIObject): Map<string, OperationObject> {
  const ops = new Map<string, OperationObject>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of OPERATION_METHODS) {
      const op = item[method];
      if (op) ops.set(`${method.toUpperCase()} ${path}`, op);
    }
  }
  return ops;
}

/** The scope each Nest route declares (`@Public()`, `@RequiresScope`, else admin), from every controller of the running app. */
function declaredScopes(app: INestApplication): Map<string, DocumentedScope> {
  const scopes = new Map<string, DocumentedScope>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!;
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        const path = normalise(`/${[base, sub].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`);
        const isPublic = Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller);
        scopes.set(`${method} ${path}`, isPublic ? 'public' : (Reflect.getMetadata(REQUIRED_SCOPE, handler) ?? Reflect.getMetadata(REQUIRED_SCOPE, controller) ?? 'admin'));
      }
    }
  }
  return scopes;
}

/** Every `$ref` in `doc` that does not point at something in it. */
function unresolvedRefs(doc: unknown): string[] {
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push(value);
        else walk(value);
      }
    }
  };
  walk(doc);
  const resolves = (ref: string): boolean => {
    if (!ref.startsWith('#/')) return false;
    let node: unknown = doc;
    for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      if (!node || typeof node !== 'object' || !(part in node)) return false;
      node = (node as Record<string, unknown>)[part];
    }
    return node !== undefined;
  };
  return [...new Set(refs)].filter((r) => !resolves(r));
}

describe('OpenAPI document at /docs', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  const doc = openApiDocument();

  beforeAll(async () => {
    db = await createTestDatabase('hangar_openapi');
    await prepareHangarDatabase(db.url);
    const started = await startGateway(
      gatewayConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: testNamespace('oa'), HANGAR_HTTP_PORT: '0', HANGAR_ADMIN_TOKEN: `admin-${testNamespace()}-0123456789` }),
    );
    app = started.app;
    url = started.url;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('documents exactly the routes the gateway serves', () => {
    const served = servedRoutes(app);
    const documented = [...documentedOperations(doc).keys()].sort();
    // A broken enumeration (an Express upgrade moving the router) must not pass as "nothing undocumented".
    expect(served.length).toBeGreaterThanOrEqual(40);
    expect({ undocumented: served.filter((r) => !documented.includes(r)), notServed: documented.filter((r) => !served.includes(r)) }).toEqual({
      undocumented: [],
      notServed: [],
    });
  });

  it('gives each operation the scope its controller declares, and bearer security unless public', () => {
    const declared = declaredScopes(app);
    const wrong: string[] = [];
    for (const [key, op] of documentedOperations(doc)) {
      const scope = scopeOf(op);
      // The UI and the document are Express routes outside Nest, public by construction.
      const expected = declared.get(key) ?? (SWAGGER_ROUTES.includes(key) ? 'public' : 'not a controller route');
      const security = expected === 'public' ? [] : [{ [BEARER_SCHEME]: [] }];
      if (scope !== expected || JSON.stringify(op.security) !== JSON.stringify(security)) wrong.push(`${key}: documented ${scope} ${JSON.stringify(op.security)}, declared ${expected}`);
      if (!op.summary) wrong.push(`${key}: no summary`);
    }
    expect(wrong).toEqual([]);
  });

  it('describes every path parameter, the auth errors of guarded routes and errors as the shared Error body', () => {
    const problems: string[] = [];
    for (const [key, op] of documentedOperations(doc)) {
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      const params = ((op.parameters ?? []) as ParameterObject[]).filter((p) => p.in === 'path');
      if (JSON.stringify(params.map((p) => p.name).sort()) !== JSON.stringify(inPath) || params.some((p) => !p.required)) problems.push(`${key}: path parameters`);
      const statuses = Object.keys(op.responses);
      if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${key}: no success answer`);
      if (scopeOf(op) !== 'public' && !statuses.includes('401')) problems.push(`${key}: no 401`);
      if (scopeOf(op) !== 'public' && scopeOf(op) !== 'authenticated' && !statuses.includes('403')) problems.push(`${key}: no 403`);
      for (const status of statuses.filter((s) => /^4\d\d$/.test(s) || s === '500')) {
        const schema = (op.responses[status] as { content?: Record<string, { schema?: { $ref?: string } }> }).content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/Error') problems.push(`${key}: ${status} is not an Error body`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves the document at /docs/openapi.json without a token: OpenAPI 3, every $ref resolving', async () => {
    const res = await fetch(`${url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const served = (await res.json()) as OpenAPIObject;
    expect(served.openapi).toMatch(/^3\.0\.\d+$/);
    expect(typeof served.info.title).toBe('string');
    expect(typeof served.info.version).toBe('string');
    expect(Object.keys(served.paths).length).toBeGreaterThanOrEqual(30);
    expect(served).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(unresolvedRefs(served)).toEqual([]);
  });

  it('serves the Swagger UI at /docs without a token, its assets from the gateway itself', async () => {
    const res = await fetch(`${url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const assets = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)=['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining([expect.stringContaining('swagger-ui-bundle.js'), expect.stringContaining('swagger-ui.css')]));
    for (const asset of assets) {
      const target = new URL(asset, `${url}/docs`);
      expect(target.origin).toBe(new URL(url).origin);
      const answer = await fetch(target);
      expect([asset, answer.status]).toEqual([asset, 200]);
      await answer.arrayBuffer();
    }
  });
});
