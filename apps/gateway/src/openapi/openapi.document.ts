import type { OpenAPIObject, PathsObject } from '@nestjs/swagger';
import { ACCESS_PATHS } from './access.paths';
import { APPS_PATHS } from './apps.paths';
import { FLEET_PATHS } from './fleet.paths';
import { LOGS_PATHS } from './logs.paths';
import { MACHINE_PATHS, MACHINE_SCHEMAS } from './machine.paths';
import { BEARER_SCHEME } from './openapi-operations';
import { SCHEMAS } from './openapi-schemas';
import { REGISTRY_PATHS } from './registry.paths';
import { SERVICE_PATHS } from './service.paths';

/**
 * The gateway's HTTP API (DESIGN §7.2), written by hand: the controllers take `unknown` bodies that
 * the owning services validate over NATS, so there is nothing for a decorator scanner to read.
 * `openapi.int-spec.ts` fails when a route the gateway serves is missing here, or the other way round.
 */
export function openApiDocument(): OpenAPIObject {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Hangar gateway',
      version: 'v1',
      description: [
        'Self-hosted, event-sourced release pipeline. JSON over HTTP; `Authorization: Bearer <token>` (the admin token or an API token) on every route but the public ones.',
        'Each operation names the scope it needs in its description and in `x-hangar-scope`. Every error answers `{ error: { code, message, details? } }`.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'apps' },
      { name: 'releases' },
      { name: 'machines' },
      { name: 'volumes' },
      { name: 'ips' },
      { name: 'secrets' },
      { name: 'audit' },
      { name: 'tokens' },
      { name: 'registry', description: 'Registry push triggers: receivers, triggers, pushes and the webhook.' },
      { name: 'service', description: 'Probes, metrics and this document.' },
    ],
    paths: mergePaths([SERVICE_PATHS, APPS_PATHS, FLEET_PATHS, MACHINE_PATHS, LOGS_PATHS, ACCESS_PATHS, REGISTRY_PATHS]),
    components: {
      securitySchemes: {
        [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'The admin token, or an API token from `POST /v1/tokens` (`hgr_…`).' },
      },
      schemas: { ...SCHEMAS, ...MACHINE_SCHEMAS },
    },
    security: [{ [BEARER_SCHEME]: [] }],
  };
}

/** One paths object; a path in two groups would silently lose one group's operations, so it throws. */
function mergePaths(groups: PathsObject[]): PathsObject {
  const merged: PathsObject = {};
  for (const group of groups) {
    for (const [path, item] of Object.entries(group)) {
      if (merged[path]) throw new Error(`OpenAPI path ${path} is documented twice`);
      merged[path] = item;
    }
  }
  return merged;
}
