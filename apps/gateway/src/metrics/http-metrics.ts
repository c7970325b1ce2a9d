import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The `route` label of a request no route matched (404s of unknown paths, wrong methods). */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const LABELS = ['method', 'route', 'status'] as const;

/** What the labels are read from: the method and the route Express matched, never the URL. */
export interface RoutedRequest {
  readonly method: string;
  readonly route?: { readonly path?: unknown };
}

/**
 * The route pattern Express matched (`/v1/apps/:app/releases/:version`), or `unmatched`. Only the
 * pattern, as the controllers declare it, so app names and ids never become label values; the
 * mount path (`baseUrl`) is left out for the same reason, it holds the raw URL prefix.
 */
export function routeLabel(req: RoutedRequest): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string' && pattern !== '') return pattern;
  if (Array.isArray(pattern) && pattern.length > 0 && pattern.every((p) => typeof p === 'string')) return pattern.join(',');
  return UNMATCHED_ROUTE;
}

/** The request method, upper-case; anything unusual is `OTHER` so a client cannot mint label values. */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : 'OTHER';
}

/** The status sent, or `aborted` when the client went away before any answer. */
export function statusLabel(res: Pick<Response, 'statusCode' | 'headersSent' | 'writableFinished'>): string {
  return res.headersSent || res.writableFinished ? String(res.statusCode) : 'aborted';
}

/**
 * `hangar_http_requests_total` and `hangar_http_request_duration_seconds` (method, route pattern,
 * status), recorded by an Express middleware when the response finishes, so requests answered before
 * any controller runs (401 from the guard, 404 of unknown paths, 413 of webhook bodies) are counted
 * too; a body the JSON parser refuses is `unmatched`, as it is refused before routing.
 */
export class HttpMetrics {
  private readonly requests: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'hangar_http_requests_total',
      help: 'HTTP requests the gateway answered, by method, route pattern and status',
      labelNames: LABELS,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'hangar_http_request_duration_seconds',
      help: 'Time from a request reaching the gateway to its response finishing, in seconds',
      labelNames: LABELS,
      registers: [registry],
    });
  }

  /** The middleware; install it ahead of every other so it sees every request. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.duration.startTimer();
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        // Read at the end: Express sets `req.route` only once a route matches.
        const labels = { method: methodLabel(req.method), route: routeLabel(req), status: statusLabel(res) };
        stop(labels);
        this.requests.inc(labels);
      };
      res.once('finish', record);
      // A client that hangs up (an SSE follower) may never see 'finish'.
      res.once('close', record);
      next();
    };
  }
}
