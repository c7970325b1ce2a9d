import type { ParameterObject, PathsObject } from '@nestjs/swagger';
import { SECRET_NAME_PATTERN, TOKEN_NAME_PATTERN } from '@hangar/contracts';
import { APP_PARAM, arrayOf, body, boolean, integer, object, operation, pathParam, queryParam, ref, string } from './openapi-operations';

const SECRET_NAME = string('`[A-Z_][A-Z0-9_]*`, not starting with `FLY_` or `HANGAR_`.', { pattern: SECRET_NAME_PATTERN.source });
const instant = (name: string, description: string) => queryParam(name, `${description} RFC 3339.`, { type: 'string', format: 'date-time' });
const AUDIT_FILTERS: ParameterObject[] = [
  queryParam('app', 'Events about this app.'),
  { name: 'type', in: 'query', required: false, description: 'Event types; repeat the parameter or separate with commas.', schema: arrayOf(string(undefined, { pattern: '^[A-Za-z][A-Za-z0-9]*$' })), style: 'form', explode: true },
  queryParam('actor', 'Recorded with this actor (token name, `admin`, `system`).'),
  queryParam('release', 'Events of this release id.'),
  queryParam('machine', 'Events about this machine id.'),
  instant('since', 'Recorded at or after.'),
  instant('until', 'Recorded at or before (inclusive).'),
  queryParam('after', 'Global position to continue after: the previous page’s `next`.', integer(undefined, { minimum: 0 })),
  queryParam('limit', 'Page size (default 100).', integer(undefined, { minimum: 1, maximum: 1000 })),
];

/** Secrets, audit and API tokens (`SecretsController`, `AuditController`, `TokensController`). */
export const ACCESS_PATHS: PathsObject = {
  '/v1/apps/{app}/secrets': {
    get: operation({
      operationId: 'listSecrets',
      tag: 'secrets',
      summary: 'List secret names and digests (never values)',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The listing.', schema: ref('SecretsListing') },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: 'RELEASE.APP_NOT_FOUND.' },
    }),
    post: operation({
      operationId: 'changeSecrets',
      tag: 'secrets',
      summary: 'Set and unset secrets: a new secrets version, and a release unless staged',
      description: 'The values are sealed to the secrets service before they leave the gateway; no answer ever contains one.',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      requestBody: {
        schema: body({
          set: object({}, [], { additionalProperties: string(undefined, { maxLength: 64 * 1024 }), description: '`NAME: value` (values up to 64 KiB).' }),
          unset: arrayOf(SECRET_NAME, 'Names to remove.'),
          stage: boolean('Store only; no release until `secrets deploy` or the next deploy.'),
        }),
      },
      success: { status: 201, description: 'The new secrets version.', schema: ref('SecretsChangeResult') },
      errors: { 404: 'RELEASE.APP_NOT_FOUND.', 422: 'SECRETS.INVALID_NAME, SECRETS.RESERVED_NAME, SECRETS.VALUE_TOO_LARGE, SECRETS.NOT_SET, SECRETS.EMPTY_CHANGE.' },
    }),
  },
  '/v1/apps/{app}/secrets/deploy': {
    post: operation({
      operationId: 'deploySecrets',
      tag: 'secrets',
      summary: 'Release the staged secrets version',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      success: { status: 202, description: 'A release will follow.', schema: ref('SecretsChangeResult') },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: 'RELEASE.APP_NOT_FOUND.', 422: 'SECRETS.NOTHING_STAGED, SECRETS.NO_RELEASE.' },
    }),
  },
  '/v1/secrets/rotate-key': {
    post: operation({
      operationId: 'rotateSecretsKey',
      tag: 'secrets',
      summary: 'Re-wrap every data key under the current `HANGAR_SECRETS_KEY` (no value changes, no release)',
      scope: 'admin',
      success: { status: 201, description: 'Rotated.', schema: ref('KeyRotationResult') },
    }),
  },
  '/v1/audit': {
    get: operation({
      operationId: 'queryAudit',
      tag: 'audit',
      summary: 'One page of events in the store’s global order',
      description: 'Pages never skip or repeat an event, even while events are appended; pass `next` as `after` for the following page. Unknown parameters are refused.',
      scope: 'audit:read',
      parameters: AUDIT_FILTERS,
      success: {
        status: 200,
        description: 'A page.',
        schema: object({ events: arrayOf(ref('StoredEvent')), next: integer('`after` for the next page; `null` on the last.', { nullable: true }) }, ['events', 'next']),
      },
      errors: { 400: 'REQUEST.INVALID: an unknown or malformed filter (`details` names it).', 422: 'AUDIT.INVALID_CURSOR: `after` is not the position of a stored event.' },
      viaNats: false,
    }),
  },
  '/v1/audit/verify': {
    get: operation({
      operationId: 'verifyAudit',
      tag: 'audit',
      summary: 'Verify every event against its keyed hash chain, the streams table, every checkpoint and the API tokens',
      scope: 'audit:read',
      success: { status: 200, description: 'The report (`ok: false` lists the problems).', schema: ref('VerificationReport') },
      errors: { 429: 'AUDIT.VERIFICATION_RUNNING: another verification runs in this gateway (one at a time; the same request shares its report); `Retry-After` says when to try again.' },
      viaNats: false,
    }),
    post: operation({
      operationId: 'verifyAuditAgainst',
      tag: 'audit',
      summary: 'Verify as `GET` does, and also against a checkpoint exported earlier (`hangar audit verify --against FILE`)',
      scope: 'audit:read',
      requestBody: { schema: object({ against: ref('CheckpointExport') }, ['against']) },
      success: { status: 200, description: 'The report; each exported head must still be on its stream’s chain, and the file’s MAC must hold.', schema: ref('VerificationReport') },
      errors: { 400: 'REQUEST.INVALID: the body is not a JSON object.', 422: 'AUDIT.INVALID_EXPORT: `against` is not an exported checkpoint.', 429: 'AUDIT.VERIFICATION_RUNNING: another verification runs in this gateway (one at a time; the same request shares its report); `Retry-After` says when to try again.' },
      viaNats: false,
    }),
  },
  '/v1/audit/checkpoints/latest': {
    get: operation({
      operationId: 'exportAuditCheckpoint',
      tag: 'audit',
      summary: 'The latest checkpoint as a signed export document (`hangar audit checkpoint --export FILE`)',
      scope: 'audit:read',
      success: { status: 200, description: 'Keep it where the database writer cannot reach; pass it back to `POST /v1/audit/verify`.', schema: ref('CheckpointExport') },
      errors: { 404: 'AUDIT.CHECKPOINT_NOT_FOUND: no checkpoint was recorded yet.' },
      viaNats: false,
    }),
  },
  '/v1/audit/checkpoints': {
    post: operation({
      operationId: 'recordAuditCheckpoint',
      tag: 'audit',
      summary: 'Record an audit checkpoint now',
      scope: 'admin',
      success: { status: 201, description: 'The checkpoint (`null` when nothing changed) and any regressions found.', schema: ref('CheckpointResult') },
      viaNats: false,
    }),
  },
  '/v1/tokens': {
    post: operation({
      operationId: 'createToken',
      tag: 'tokens',
      summary: 'Create an API token',
      scope: 'admin',
      requestBody: {
        schema: object(
          { name: string('Not `admin`, `system` or `anonymous`.', { pattern: TOKEN_NAME_PATTERN.source }), scopes: arrayOf(ref('Scope'), 'At least one.') },
          ['name', 'scopes'],
          { description: 'Other fields are ignored.' },
        ),
      },
      success: {
        status: 201,
        description: 'The token and its secret, shown this once and never stored.',
        schema: object({ token: ref('ApiToken'), secret: string('`hgr_…`: send as `Authorization: Bearer <secret>`.') }, ['token', 'secret']),
      },
      errors: { 409: 'TOKEN.CONFLICT: the name is taken (revoked names are not reused).', 422: 'TOKEN.INVALID_NAME, TOKEN.INVALID_SCOPE.' },
      viaNats: false,
    }),
    get: operation({
      operationId: 'listTokens',
      tag: 'tokens',
      summary: 'List API tokens (never their secrets)',
      scope: 'admin',
      success: { status: 200, description: 'The tokens.', schema: object({ tokens: arrayOf(ref('ApiToken')) }, ['tokens']) },
      viaNats: false,
    }),
  },
  '/v1/tokens/{name}': {
    delete: operation({
      operationId: 'revokeToken',
      tag: 'tokens',
      summary: 'Revoke an API token',
      scope: 'admin',
      parameters: [pathParam('name', 'Token name.')],
      success: { status: 200, description: 'Revoked.', schema: object({ token: ref('ApiToken') }, ['token']) },
      errors: { 404: 'TOKEN.NOT_FOUND.' },
      viaNats: false,
    }),
  },
};
