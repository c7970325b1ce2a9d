import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { Registry } from 'prom-client';
import { HttpMetrics, methodLabel, routeLabel, statusLabel, UNMATCHED_ROUTE } from './http-metrics';

/** A response as the middleware sees it: events, a status, and whether anything was sent. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableFinished = false;

  finish(status: number): void {
    this.statusCode = status;
    this.headersSent = true;
    this.writableFinished = true;
    this.emit('finish');
    this.emit('close');
  }
}

describe(routeLabel.name, () => {
  it('is the pattern Express matched, never the URL', () => {
    const req = { method: 'GET', url: '/v1/apps/acme/releases/v3', baseUrl: '/v1/apps/acme', route: { path: '/v1/apps/:app/releases/:version' } };
    expect(routeLabel(req)).toBe('/v1/apps/:app/releases/:version');
  });

  it('is "unmatched" when no route matched or the pattern is not a string', () => {
    expect(routeLabel({ method: 'GET' })).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ method: 'GET', route: { path: /^\/v1\/apps\/acme$/ } })).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ method: 'GET', route: { path: '' } })).toBe(UNMATCHED_ROUTE);
  });

  it('joins the patterns of a route declared with several', () => {
    expect(routeLabel({ method: 'GET', route: { path: ['/a/:id', '/b/:id'] } })).toBe('/a/:id,/b/:id');
  });
});

describe(methodLabel.name, () => {
  it('upper-cases the usual methods and folds anything else into OTHER', () => {
    expect(methodLabel('get')).toBe('GET');
    expect(methodLabel('DELETE')).toBe('DELETE');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
    expect(methodLabel('x'.repeat(40))).toBe('OTHER');
  });
});

describe(statusLabel.name, () => {
  it('is the status once an answer left, "aborted" when the client went away first', () => {
    expect(statusLabel({ statusCode: 404, headersSent: true, writableFinished: true })).toBe('404');
    expect(statusLabel({ statusCode: 200, headersSent: true, writableFinished: false })).toBe('200');
    expect(statusLabel({ statusCode: 200, headersSent: false, writableFinished: false })).toBe('aborted');
  });
});

describe(HttpMetrics.name, () => {
  async function run(sut: HttpMetrics, req: Partial<Request>, answer: (res: FakeResponse, req: Partial<Request>) => void): Promise<void> {
    const res = new FakeResponse();
    let nexts = 0;
    sut.middleware()(req as Request, res as unknown as Response, (() => (nexts += 1)) as NextFunction);
    expect(nexts).toBe(1);
    answer(res, req);
  }

  it('counts each request once, labelled by the route matched while it ran, with its duration', async () => {
    const registry = new Registry();
    const sut = new HttpMetrics(registry);
    await run(sut, { method: 'GET', url: '/v1/apps/acme/releases/v3' }, (res, req) => {
      // Express sets the route while routing, after the middleware ran.
      Object.assign(req, { route: { path: '/v1/apps/:app/releases/:version' } });
      res.finish(200);
    });
    await run(sut, { method: 'GET', url: '/nope/acme' }, (res) => res.finish(404));
    const text = await registry.metrics();
    expect(text).toContain('hangar_http_requests_total{method="GET",route="/v1/apps/:app/releases/:version",status="200"} 1');
    expect(text).toContain('hangar_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/hangar_http_request_duration_seconds_count\{method="GET",route="\/v1\/apps\/:app\/releases\/:version",status="200"\} 1/);
    expect(text).not.toContain('acme');
  });

  it('counts a request whose client hung up before the answer as aborted', async () => {
    const registry = new Registry();
    const sut = new HttpMetrics(registry);
    await run(sut, { method: 'POST', route: { path: '/v1/apps' } }, (res) => res.emit('close'));
    expect(await registry.metrics()).toContain('hangar_http_requests_total{method="POST",route="/v1/apps",status="aborted"} 1');
  });
});
