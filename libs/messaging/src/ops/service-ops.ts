import { Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { MessagingService } from '../messaging.service';
import { probe, type ReadinessChecks } from './ops-server';

/**
 * The readiness checks of a command-serving replica: Postgres answers a query, NATS answers a
 * flush, and the replica is subscribed (it finished starting and is not shutting down; a replica
 * that got SIGTERM says `subscribed: error` at once, so it is taken out of rotation while it drains).
 */
export function serviceReadiness(service: string, deps: { pool: Pool; nc: NatsConnection; messaging: MessagingService }): () => Promise<ReadinessChecks> {
  const logger = new Logger(`${service} readiness`);
  return async () => ({
    database: await probe(() => deps.pool.query('SELECT 1'), (e) => logger.warn(`the database did not answer: ${e.message}`)),
    nats: deps.nc.isClosed() ? 'error' : await probe(() => deps.nc.flush(), (e) => logger.warn(`NATS did not answer: ${e.message}`)),
    subscribed: deps.messaging.running.stopping ? 'error' : 'ok',
  });
}

/**
 * A replica's Prometheus registry (its own, never prom-client's global one, so the services of
 * `hangar server` or a test do not collide): process metrics as `hangar_<service>_*`, and
 * - `hangar_singleton_held{singleton}`: 1 while this replica holds it (the relay, DESIGN §4);
 * - `hangar_consumer_in_flight{consumer}`: feed messages being handled now;
 * - `hangar_consumer_messages_total{consumer}`: feed messages taken since start (its rate is the
 *   service's decisions per second: a releaser consumer's messages are its decisions);
 * - `hangar_consumer_lag{consumer}`: messages of the feed the durable consumer has not acked yet.
 * Every series carries `service`.
 */
export function serviceMetrics(service: string, messaging: MessagingService): () => Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: `hangar_${service.replace(/[^a-zA-Z0-9]/g, '_')}_` });
  new Gauge({
    name: 'hangar_singleton_held',
    help: 'Whether this replica holds the singleton (1) or stands by (0).',
    labelNames: ['singleton'],
    registers: [registry],
    collect() {
      this.reset();
      const relays = messaging.running.relays;
      if (relays.length > 0) this.set({ singleton: 'relay' }, relays.some((r) => r.isLeader) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hangar_consumer_in_flight',
    help: 'Feed messages this replica is handling now.',
    labelNames: ['consumer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of messaging.running.consumers) this.set({ consumer: c.name }, c.stats.inFlight);
    },
  });
  const seen = new Map<string, number>();
  new Counter({
    name: 'hangar_consumer_messages_total',
    help: 'Feed messages this replica has taken since it started; its rate is the decisions per second.',
    labelNames: ['consumer'],
    registers: [registry],
    collect() {
      for (const c of messaging.running.consumers) {
        const handled = c.stats.handled;
        this.inc({ consumer: c.name }, handled - (seen.get(c.name) ?? 0));
        seen.set(c.name, handled);
      }
    },
  });
  new Gauge({
    name: 'hangar_consumer_lag',
    help: 'Messages of the event feed the durable consumer has not acked yet (pending plus unacked).',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        messaging.running.consumers.map(async (c) => {
          const lag = await c.lag().catch(() => undefined);
          if (lag !== undefined) this.set({ consumer: c.name }, lag);
        }),
      );
    },
  });
  return async () => ({ contentType: registry.contentType, body: await registry.metrics() });
}
