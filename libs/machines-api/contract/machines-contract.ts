import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLEET_ONLY_ROUTES, FLY_GO_DIFFERENCES, type ContractOperation, type ContractSpec, type Schema } from './fly-go-differences';

/** One recorded exchange (fleet's `HANGAR_FLEET_RECORD` NDJSON line). */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  request: { authScheme?: string; leaseNonce: boolean; idempotencyKey: boolean; body?: unknown };
  status: number;
  response: { retryAfter?: string; body?: unknown };
}

export interface ContractVerdict {
  /** `METHOD /template`, `fleet-only <route>`, or `unknown`. */
  operation: string;
  problems: string[];
}

/** The Swagger 2.0 spec beside this file (copied from the public Fly Machines API spec). */
export const SPEC_FILE = join(__dirname.replace(/([\\/])dist([\\/])/, '$1'), 'fly-machines-api.swagger.json');

interface SwaggerParameter {
  name: string;
  in: string;
  type?: string;
  schema?: Schema;
}

/**
 * Validates recorded Machines API exchanges against the public spec plus {@link FLY_GO_DIFFERENCES},
 * with ajv. Requests are held to the spec's properties exactly (an unknown property is a failure:
 * the client controls what it sends); responses may carry properties the spec does not list (Fly adds
 * fields over time), but every listed one must have the listed type.
 */
export class MachinesContract {
  private readonly spec: ContractSpec;
  private readonly routes: { key: string; method: string; pattern: RegExp }[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(specFile = SPEC_FILE) {
    const swagger = JSON.parse(readFileSync(specFile, 'utf8')) as { paths: Record<string, Record<string, { parameters?: SwaggerParameter[]; responses?: Record<string, { schema?: Schema }> }>>; definitions: Record<string, Schema> };
    const operations = new Map<string, ContractOperation>();
    for (const [path, methods] of Object.entries(swagger.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const params = operation.parameters ?? [];
        operations.set(`${method.toUpperCase()} ${path}`, {
          query: new Map(params.filter((p) => p.in === 'query').map((p) => [p.name, p.type ?? 'string'])),
          body: params.find((p) => p.in === 'body')?.schema,
          responses: new Map(Object.entries(operation.responses ?? {}).map(([s, r]) => [Number(s), r.schema])),
        });
      }
    }
    this.spec = { definitions: structuredClone(swagger.definitions), operations };
    for (const difference of FLY_GO_DIFFERENCES) difference.apply(this.spec);
    this.ajv.addSchema({ $id: 'response', definitions: this.spec.definitions });
    this.ajv.addSchema({ $id: 'request', definitions: closed(structuredClone(this.spec.definitions)) as Record<string, Schema> });
    this.routes = [...operations.keys()].map((key) => {
      const [method, template] = key.split(' ');
      return { key, method, pattern: templatePattern(`/v1${template}`) };
    });
  }

  /** Every exchange's problems (none: it is what Fly's API accepts and answers). */
  check(x: Exchange): ContractVerdict {
    const fleetOnly = FLEET_ONLY_ROUTES.find((r) => templatePattern(r.route).test(x.path));
    if (fleetOnly) return { operation: `fleet-only ${fleetOnly.route}`, problems: [] };
    const route = this.routes.find((r) => r.method === x.method && r.pattern.test(x.path));
    if (!route) return { operation: 'unknown', problems: [`${x.method} ${x.path}: not a route of the Fly Machines API spec, of fly-go's differences, or of fleet's own API`] };
    const operation = this.spec.operations.get(route.key)!;
    return { operation: route.key, problems: [...this.requestProblems(x, operation), ...this.responseProblems(x, operation)] };
  }

  private requestProblems(x: Exchange, operation: ContractOperation): string[] {
    const problems: string[] = [];
    if (x.request.authScheme !== 'Bearer' && x.request.authScheme !== 'FlyV1') problems.push(`Authorization scheme ${x.request.authScheme ?? '(none)'}: Fly takes Bearer or FlyV1`);
    if (x.request.idempotencyKey) problems.push('Idempotency-Key header sent: the Fly API ignores it, so nothing may rely on it');
    for (const [name, value] of Object.entries(x.query)) {
      const type = operation.query.get(name);
      if (type === undefined) problems.push(`query parameter ${name} is not in the spec`);
      else if (!queryValueFits(type, value)) problems.push(`query parameter ${name}=${value} is not a valid ${type}`);
    }
    if (x.request.body !== undefined && !(isEmptyObject(x.request.body) && operation.body === undefined)) {
      if (operation.body === undefined) problems.push('a request body was sent; the operation takes none');
      else problems.push(...this.validate('request', operation.body, x.request.body).map((p) => `request body ${p}`));
    }
    return problems;
  }

  private responseProblems(x: Exchange, operation: ContractOperation): string[] {
    if (!operation.responses.has(x.status)) return [`status ${x.status} is not an answer of this operation`];
    if (x.status === 429 && x.response.retryAfter === undefined) return ['429 without Retry-After'];
    const schema = operation.responses.get(x.status);
    if (schema === undefined || x.response.body === undefined) return [];
    return this.validate('response', schema, x.response.body).map((p) => `response ${x.status} ${p}`);
  }

  private validate(side: 'request' | 'response', schema: Schema, value: unknown): string[] {
    const key = `${side} ${JSON.stringify(schema)}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(rebase(schema, side));
      this.compiled.set(key, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
}

/** `#/definitions/X` → `<side>#/definitions/X`, so an operation's schema resolves against that side's definitions. */
function rebase(schema: Schema, side: string): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, `"${side}#/definitions/`)) as Schema;
}

/** Every described object schema without `additionalProperties` becomes closed: requests may not carry unknown keys. */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, k === 'properties' ? mapValues(v, closed) : closed(v)]));
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

function mapValues(v: unknown, fn: (x: unknown) => unknown): unknown {
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fn(x)]));
}

function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

function queryValueFits(type: string, value: string): boolean {
  if (type === 'integer') return /^-?\d+$/.test(value);
  if (type === 'integer<=60') return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 60;
  if (type === 'boolean') return value === 'true' || value === 'false';
  return true;
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}
