import type { PathsObject } from '@nestjs/swagger';
import { operation, ref, string } from './openapi-operations';

/** Where `SwaggerModule.setup` serves the UI and this document (gateway.bootstrap.ts). */
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs/openapi.json';

/** Liveness, readiness, metrics and this document: public, for probes, scrapers and readers. */
export const SERVICE_PATHS: PathsObject = {
  '/healthz': {
    get: operation({
      operationId: 'healthz',
      tag: 'service',
      summary: 'Liveness: the process answers',
      scope: 'public',
      success: { status: 200, description: 'Alive.', schema: ref('Health') },
      viaNats: false,
    }),
  },
  '/readyz': {
    get: operation({
      operationId: 'readyz',
      tag: 'service',
      summary: 'Readiness: the event store and NATS answer',
      scope: 'public',
      success: { status: 200, description: 'Ready.', schema: ref('Readiness') },
      viaNats: false,
      otherResponses: { 503: { description: 'Not ready: the same shape, naming the failing check.', content: { 'application/json': { schema: ref('Readiness') } } } },
    }),
  },
  '/metrics': {
    get: operation({
      operationId: 'metrics',
      tag: 'service',
      summary: 'Prometheus metrics',
      description: 'Text exposition format: HTTP requests and durations by route pattern, webhook deliveries by source and outcome, releases by status, event and relay-lag gauges.',
      scope: 'public',
      success: { status: 200, description: 'The metrics.', content: { 'text/plain': { schema: string('Prometheus text format 0.0.4.') } } },
      viaNats: false,
    }),
  },
  [`/${DOCS_PATH}`]: {
    get: operation({
      operationId: 'docsUi',
      tag: 'service',
      summary: 'This API’s documentation (Swagger UI, served locally)',
      scope: 'public',
      success: { status: 200, description: 'The UI.', content: { 'text/html': { schema: string() } } },
      viaNats: false,
    }),
  },
  [`/${DOCS_JSON_PATH}`]: {
    get: operation({
      operationId: 'openApiDocument',
      tag: 'service',
      summary: 'This OpenAPI document',
      scope: 'public',
      success: { status: 200, description: 'OpenAPI 3.0.3.', content: { 'application/json': { schema: { type: 'object', description: 'An OpenAPI 3.0 document.' } } } },
      viaNats: false,
    }),
  },
};
