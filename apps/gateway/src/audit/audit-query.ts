import { ErrorCodes, HangarError } from '@hangar/contracts';
import { MAX_EVENT_QUERY_LIMIT, type EventQuery } from '@hangar/event-store';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const FILTERS = ['app', 'type', 'actor', 'release', 'machine', 'since', 'until', 'after', 'limit'] as const;

const invalid = (path: string, message: string) => new HangarError(ErrorCodes.VALIDATION, `${path}: ${message}`, [{ path, message }]);

/** An RFC 3339 timestamp (`2026-01-02T03:04:05Z`, offsets allowed), or `REQUEST.INVALID` naming `name`. */
export function parseInstant(raw: unknown, name: string): Date {
  const at = typeof raw === 'string' && RFC3339.test(raw) ? new Date(raw) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw invalid(name, `must be an RFC 3339 time like 2026-01-02T03:04:05Z; got "${String(raw)}"`);
  return at;
}

/**
 * `GET /v1/audit` query string → store query. `type` may repeat or be comma-separated; every
 * other filter is given at most once; unknown parameters are refused rather than ignored.
 */
export function parseAuditQuery(query: Record<string, unknown>): EventQuery {
  for (const key of Object.keys(query)) {
    if (!(FILTERS as readonly string[]).includes(key)) throw invalid(key, `unknown filter; use ${FILTERS.join(', ')}`);
  }
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw invalid(name, 'must be given once, non-empty');
    return v;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const v = one(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,15}$/.test(v) || Number(v) < min || Number(v) > max) throw invalid(name, `must be an integer from ${min} to ${max}; got "${v}"`);
    return Number(v);
  };
  const rawTypes = query.type === undefined ? [] : Array.isArray(query.type) ? query.type : [query.type];
  const types = rawTypes.flatMap((t) => (typeof t === 'string' ? t.split(',') : [''])).map((t) => t.trim());
  if (types.some((t) => !/^[A-Za-z][A-Za-z0-9]*$/.test(t))) throw invalid('type', 'must be event type names like ReleaseQueued');
  const since = one('since');
  const until = one('until');
  const after = integer('after', 0, Number.MAX_SAFE_INTEGER);
  const limit = integer('limit', 1, MAX_EVENT_QUERY_LIMIT);
  const q: EventQuery = {
    ...(one('app') ? { app: one('app') } : {}),
    ...(types.length ? { types } : {}),
    ...(one('actor') ? { actor: one('actor') } : {}),
    ...(one('release') ? { releaseId: one('release') } : {}),
    ...(one('machine') ? { machineId: one('machine') } : {}),
    ...(since ? { since: parseInstant(since, 'since') } : {}),
    ...(until ? { until: parseInstant(until, 'until') } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
  return q;
}
