import type { PathsObject } from '@nestjs/swagger';
import { APP_PARAM, arrayOf, body, integer, object, operation, pathParam, queryParam, ref, string } from './openapi-operations';

const ULID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' };
const LIMIT = queryParam('limit', 'At most this many, newest first (1–1000).', integer(undefined, { minimum: 1, maximum: 1000 }));

/** Registry push triggers: receivers, triggers, the push log and the webhook itself (issue 6). */
export const REGISTRY_PATHS: PathsObject = {
  '/v1/receivers': {
    post: operation({
      operationId: 'addReceiver',
      tag: 'registry',
      summary: 'Add a receiver for one registry’s webhooks',
      description:
        'Without `secret` one is generated and returned this once; it is never shown again. `host` says which registry the receiver reports pushes for (implied for `dockerhub` and `ghcr`, required for every other source); a delivery naming a push to another host, or outside `repositoryPrefix`, is refused 403 `WEBHOOK.FORBIDDEN` and records nothing.',
      scope: 'admin',
      requestBody: {
        schema: body(
          {
            source: ref('RegistrySource'),
            host: string('The registry host its webhooks report pushes for, lower-case with its port, as `docker pull` uses it (`registry.example.com:5000`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`). Required but for `dockerhub` (`docker.io`) and `ghcr` (`ghcr.io`).'),
            repositoryPrefix: string('Only repositories equal to it or under it (`acme` covers `acme/web`, not `acme-tools/web`).'),
            secret: string('16–256 printable ASCII characters, no spaces.', { minLength: 16, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' }),
          },
          ['source'],
        ),
      },
      success: {
        status: 201,
        description: 'The receiver and the URL to configure in the registry.',
        schema: object(
          { receiver: object({ id: string(), source: ref('RegistrySource'), host: string(), repositoryPrefix: string(), url: string(), secret: string('Only when generated.') }, ['id', 'source', 'host', 'url']) },
          ['receiver'],
        ),
      },
    }),
    get: operation({
      operationId: 'listReceivers',
      tag: 'registry',
      summary: 'List receivers (never their secrets)',
      scope: 'admin',
      success: { status: 200, description: 'The receivers.', schema: object({ receivers: arrayOf(ref('Receiver')) }, ['receivers']) },
    }),
  },
  '/v1/receivers/{id}': {
    delete: operation({
      operationId: 'removeReceiver',
      tag: 'registry',
      summary: 'Remove a receiver (its URL answers 404 from then on)',
      scope: 'admin',
      parameters: [pathParam('id', 'Receiver id.', { ...ULID })],
      success: { status: 200, description: 'Removed.', schema: object({ receiver: object({ id: string() }, ['id']) }, ['receiver']) },
      errors: { 400: 'REQUEST.INVALID: not a receiver id.', 404: 'REGISTRY.RECEIVER_NOT_FOUND.' },
    }),
  },
  '/v1/apps/{app}/triggers': {
    post: operation({
      operationId: 'addTrigger',
      tag: 'registry',
      summary: 'Add a trigger: pushes of an image whose tag the policy accepts deploy the app',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      requestBody: { schema: body({ image: string('`HOST/REPOSITORY`.', { maxLength: 300 }), tagPolicy: ref('TagPolicy') }, ['image', 'tagPolicy']) },
      success: { status: 201, description: 'The trigger.', schema: object({ trigger: ref('Trigger') }, ['trigger']) },
      errors: { 404: 'RELEASE.APP_NOT_FOUND.' },
    }),
    get: operation({
      operationId: 'listTriggers',
      tag: 'registry',
      summary: 'List the app’s triggers',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The triggers.', schema: object({ triggers: arrayOf(ref('Trigger')) }, ['triggers']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.' },
    }),
  },
  '/v1/apps/{app}/triggers/log': {
    get: operation({
      operationId: 'triggerLog',
      tag: 'registry',
      summary: 'What came of every push the app’s triggers followed (deployed, or skipped and why), newest first',
      scope: 'app:read',
      parameters: [APP_PARAM, LIMIT],
      success: { status: 200, description: 'The entries.', schema: object({ entries: arrayOf(ref('TriggerLogEntry')) }, ['entries']) },
      errors: { 400: 'REQUEST.INVALID: bad `limit` or app name.' },
    }),
  },
  '/v1/apps/{app}/triggers/{id}': {
    delete: operation({
      operationId: 'removeTrigger',
      tag: 'registry',
      summary: 'Remove a trigger',
      scope: 'app:deploy',
      parameters: [APP_PARAM, pathParam('id', 'Trigger id.', { ...ULID })],
      success: { status: 200, description: 'Removed.', schema: object({ trigger: object({ id: string() }, ['id']) }, ['trigger']) },
      errors: { 400: 'REQUEST.INVALID: not a trigger id.', 404: 'REGISTRY.TRIGGER_NOT_FOUND.' },
    }),
  },
  '/v1/pushes': {
    get: operation({
      operationId: 'listPushes',
      tag: 'registry',
      summary: 'Every push recorded (any app, or none), newest first, with what came of it',
      scope: 'admin',
      parameters: [LIMIT, queryParam('image', 'Only pushes of this `HOST/REPOSITORY`.', { type: 'string', maxLength: 300 })],
      success: { status: 200, description: 'The pushes.', schema: object({ pushes: arrayOf(ref('PushLogEntry')) }, ['pushes']) },
      errors: { 400: 'REQUEST.INVALID: bad `limit` or `image`.' },
    }),
  },
  '/v1/webhooks/registry/{receiver}': {
    post: operation({
      operationId: 'receiveRegistryWebhook',
      tag: 'registry',
      summary: 'A registry’s push notification',
      description: [
        'No bearer token: the receiver’s secret, the way its registry sends it, checked on the raw bytes in constant time —',
        '`X-Hub-Signature-256: sha256=<hex HMAC>` (ghcr), `X-JFrog-Event-Auth` (jfrog), `Authorization: Bearer <secret>` (distribution, harbor, acr),',
        '`x-api-key` (ecr), `?token=<secret>` (dockerhub, quay, gar). The body is the registry’s own JSON format (README, "Registry push triggers").',
        'Authenticated deliveries that are not pushes to deploy from (pulls, deletes, pings, …) are answered 202 and recorded as ignored.',
      ].join(' '),
      scope: 'public',
      parameters: [
        pathParam('receiver', 'Receiver id.', { ...ULID }),
        queryParam('token', 'The receiver’s secret, for sources that send it in the URL (dockerhub, quay, gar).'),
        { name: 'X-Hub-Signature-256', in: 'header', required: false, description: 'ghcr: `sha256=` + hex HMAC-SHA256 of the body.', schema: { type: 'string' } },
        { name: 'X-JFrog-Event-Auth', in: 'header', required: false, description: 'jfrog: hex HMAC-SHA256 of the body (or the secret).', schema: { type: 'string' } },
        { name: 'x-api-key', in: 'header', required: false, description: 'ecr: the secret.', schema: { type: 'string' } },
      ],
      requestBody: { schema: { description: 'The registry’s delivery, at most 1 MiB.' }, contentType: '*/*' },
      success: { status: 202, description: 'Recorded: the pushes (new or duplicate) and how many items were ignored.', schema: ref('DeliveryAnswer') },
      errors: {
        400: 'WEBHOOK.INVALID_PAYLOAD (`details.path` names the field), WEBHOOK.INCOMPLETE_BODY.',
        401: 'WEBHOOK.UNAUTHORIZED: the receiver’s secret is missing or wrong.',
        403: 'WEBHOOK.FORBIDDEN: a push to another registry host than the receiver’s, or outside its repository prefix (or a receiver with no host recorded); nothing is recorded.',
        404: 'REGISTRY.RECEIVER_NOT_FOUND: unknown or removed receiver.',
        413: 'WEBHOOK.TOO_LARGE: over 1 MiB (the connection is closed).',
        429: 'WEBHOOK.TOO_MANY_FAILURES: this address, or this receiver, caused 60 refused deliveries (404, 401) within a minute; `Retry-After` says when the window ends.',
      },
    }),
  },
};
