import type { Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { eventsStreamName } from '@hangar/contracts';
import { PG_POOL } from '@hangar/event-store';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry';
import { StoreMetrics } from './store-metrics';
import { PrometheusWebhookMetrics, WebhookMetrics } from './webhook-metrics';

/** The providers behind `GET /metrics` (with `MetricsController`), for the gateway's module. */
export function metricsProviders(namespace: string, opts: { storeCacheMs?: number } = {}): Provider[] {
  return [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    {
      provide: HttpMetrics,
      inject: [METRICS_REGISTRY, HttpAdapterHost],
      // Installed while the module is built, before the bootstrap adds the body parsers and Nest
      // its routes, so the middleware is first in line and sees every request.
      useFactory: (registry: Registry, host: HttpAdapterHost) => {
        const metrics = new HttpMetrics(registry);
        host.httpAdapter?.use(metrics.middleware());
        return metrics;
      },
    },
    { provide: WebhookMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new PrometheusWebhookMetrics(registry) },
    {
      provide: StoreMetrics,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new StoreMetrics(pool, { relayName: eventsStreamName(namespace), ...(opts.storeCacheMs === undefined ? {} : { cacheMs: opts.storeCacheMs }) }),
    },
  ];
}
