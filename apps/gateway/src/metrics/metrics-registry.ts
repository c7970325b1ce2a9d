import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Injection token of the gateway's own Prometheus registry. Each gateway has one, never prom-client's
 * global registry, so several gateways in one process (`hangar server`, tests) do not collide.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** A fresh registry with the process and runtime metrics, named `hangar_gateway_*`. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hangar_gateway_' });
  return registry;
}
