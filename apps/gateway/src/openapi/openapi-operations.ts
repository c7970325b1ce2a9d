import type { ContentObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, ResponsesObject, SchemaObject } from '@nestjs/swagger';
import { APP_NAME_PATTERN } from '@hangar/contracts';
import type { RouteScope } from '../auth/requires-scope.decorator';

/** What a documented route needs: a `@RequiresScope` value, or no token at all. */
export type DocumentedScope = RouteScope | 'public';

/** The extension naming an operation's scope, as the guard reads it; the integration test compares the two. */
export const SCOPE_EXTENSION = 'x-hangar-scope';

/** The scope an operation of this document declares in {@link SCOPE_EXTENSION}. */
export function scopeOf(op: OperationObject): DocumentedScope | undefined {
  return (op as OperationObject & { [SCOPE_EXTENSION]?: DocumentedScope })[SCOPE_EXTENSION];
}

/** The bearer scheme's name under `components.securitySchemes`. */
export const BEARER_SCHEME = 'bearer';

export type Schema = SchemaObject | ReferenceObject;
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/** `#/components/schemas/<name>`. */
export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** An object schema; `required` lists the fields always present (or, in a request body, that must be sent). */
export function object(properties: Record<string, Schema>, required: string[] = [], extra: Omit<SchemaObject, 'type' | 'properties' | 'required'> = {}): SchemaObject {
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...extra };
}

/** A request body schema: unknown fields are refused (the command DTOs validate with `forbidNonWhitelisted`). */
export function body(properties: Record<string, Schema>, required: string[] = [], description?: string): SchemaObject {
  return object(properties, required, { additionalProperties: false, ...(description ? { description } : {}) });
}

export const string = (description?: string, extra: SchemaObject = {}): SchemaObject => ({ type: 'string', ...(description ? { description } : {}), ...extra });
export const integer = (description?: string, extra: SchemaObject = {}): SchemaObject => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
export const boolean = (description?: string): SchemaObject => ({ type: 'boolean', ...(description ? { description } : {}) });
export const dateTime = (description?: string): SchemaObject => string(description, { format: 'date-time' });
export const arrayOf = (items: Schema, description?: string): SchemaObject => ({ type: 'array', items, ...(description ? { description } : {}) });

export function pathParam(name: string, description: string, schema: SchemaObject = { type: 'string' }): ParameterObject {
  return { name, in: 'path', required: true, description, schema };
}

export function queryParam(name: string, description: string, schema: SchemaObject = { type: 'string' }): ParameterObject {
  return { name, in: 'query', required: false, description, schema };
}

/** `:app`, checked against the app name rule by the owning service. */
export const APP_PARAM = pathParam('app', 'App name.', { type: 'string', pattern: APP_NAME_PATTERN.source });
/** `:version` as `v3` or `3` (`parseVersion`). */
export const VERSION_PARAM = pathParam('version', 'Release version, `v3` or `3`.', { type: 'string', pattern: '^v?[0-9]{1,9}$' });

export interface OperationSpec {
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  scope: DocumentedScope;
  parameters?: ParameterObject[];
  requestBody?: { schema: Schema; required?: boolean; description?: string; contentType?: string };
  success: { status: number; description: string; schema?: Schema; content?: ContentObject };
  /** Route-specific errors, each described by the codes it carries. */
  errors?: Partial<Record<ErrorStatus, string>>;
  /** False for routes answered without a NATS request (no `TRANSPORT.*` 503). */
  viaNats?: boolean;
  /** Answers that are not `Error` bodies, by status (replacing the generated ones). */
  otherResponses?: Record<number, ResponseObject>;
}

const SCOPE_TEXT: Record<DocumentedScope, string> = {
  public: 'No token.',
  admin: 'Needs the `admin` scope.',
  'audit:read': 'Needs `audit:read` (or `admin`).',
  'app:read': 'Needs `app:<app>:read` (or `app:<app>:deploy`, or `admin`).',
  'app:deploy': 'Needs `app:<app>:deploy` (or `admin`).',
  authenticated: 'Any valid token.',
};

const json = (schema: Schema): ContentObject => ({ 'application/json': { schema } });
const errorResponse = (description: string): ResponseObject => ({ description, content: json(ref('Error')) });

/** The error answers a route can give, by status: its own, plus what the parsers, the guard and the transport add. */
function errorAnswers(spec: OperationSpec): Map<number, string> {
  // The JSON parsers answer malformed or oversized bodies before the controller; webhook bodies are raw.
  const hasBody = spec.requestBody !== undefined && (spec.requestBody.contentType ?? 'application/json') === 'application/json';
  const errors: Partial<Record<number, string>> = { ...(hasBody ? { 413: 'REQUEST.TOO_LARGE: the JSON body is over 1 MiB.' } : {}), ...spec.errors };
  if (hasBody) errors[400] = ['REQUEST.INVALID: malformed JSON, or a field the command refuses (`details`: `[{ path, message }]`).', spec.errors?.[400]].filter(Boolean).join(' ');
  if (spec.scope !== 'public') errors[401] = 'AUTH.UNAUTHORIZED: no bearer token, or an unknown or revoked one.';
  if (spec.scope !== 'public' && spec.scope !== 'authenticated') errors[403] = 'AUTH.FORBIDDEN: the token lacks the scope (`details.required`).';
  errors[500] = 'INTERNAL.ERROR';
  if (spec.viaNats !== false) errors[503] = errors[503] ?? 'TRANSPORT.TIMEOUT or TRANSPORT.UNAVAILABLE: the owning service did not answer over NATS.';
  return new Map(
    Object.keys(errors)
      .map(Number)
      .sort((a, b) => a - b)
      .map((status) => [status, errors[status]!]),
  );
}

function responsesOf(spec: OperationSpec): ResponsesObject {
  const { status, description, content, schema } = spec.success;
  const responses: ResponsesObject = { [String(status)]: { description, ...(content ? { content } : schema ? { content: json(schema) } : {}) } };
  for (const [code, text] of errorAnswers(spec)) responses[String(code)] = errorResponse(text);
  for (const [code, response] of Object.entries(spec.otherResponses ?? {})) responses[code] = response;
  return responses;
}

/** One operation: scope, security, success answer and the error answers that route can give, all as `Error` bodies. */
export function operation(spec: OperationSpec): OperationObject {
  const body = spec.requestBody;
  const op: OperationObject & { [SCOPE_EXTENSION]: DocumentedScope } = {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, SCOPE_TEXT[spec.scope]].filter(Boolean).join('\n\n'),
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: body.required ?? true,
            ...(body.description ? { description: body.description } : {}),
            content: { [body.contentType ?? 'application/json']: { schema: body.schema } },
          },
        }
      : {}),
    responses: responsesOf(spec),
    security: spec.scope === 'public' ? [] : [{ [BEARER_SCHEME]: [] }],
    [SCOPE_EXTENSION]: spec.scope,
  };
  return op;
}
