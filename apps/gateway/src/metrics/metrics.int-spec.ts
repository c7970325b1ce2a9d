import { request as httpRequest } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Registry } from 'prom-client';
import { eventsStreamName } from '@hangar/contracts';
import { createEventStore, PG_POOL, type EventStoreHandle } from '@hangar/event-store';
import type { Pool } from 'pg';
import { prepareHangarDatabase } from '@hangar/messaging';
import { createTestDatabase, testNamespace, TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { gatewayConfig } from '../gateway.config';
import { startGateway } from '../gateway.bootstrap';

jest.setTimeout(120_000);

/** The store gauges' cache in this test's gateway (5 s by default). */
const CACHE_MS = 300;

/** The value of one series (`name{labels}` exactly as exposed), or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A webhook delivery announcing a body over the 1 MiB cap, sending none of it: answered 413 at once. */
function oversizeDelivery(url: string, receiver: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/webhooks/registry/${receiver}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(2 * 1_048_576) } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('GET /metrics', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  let events: EventStoreHandle;
  const ns = testNamespace('m');
  const adminToken = `admin-${ns}-0123456789`;

  const scrape = async () => {
    const res = await fetch(`${url}/metrics`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  /** Scrapes until `ready` holds of the text (the store gauges are up to CACHE_MS old), then returns it. */
  const scrapeUntil = async (what: string, ready: (text: string) => boolean) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { text } = await scrape();
      if (ready(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for /metrics to show ${what}; last scrape:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const storeCount = async () => Number((await events.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase('hangar_metrics');
    await prepareHangarDatabase(db.url);
    const config = gatewayConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: ns, HANGAR_HTTP_PORT: '0', HANGAR_ADMIN_TOKEN: adminToken });
    ({ app, url } = await startGateway({ ...config, storeMetricsCacheMs: CACHE_MS }));
    events = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, poolSize: 2 });
  });

  afterAll(async () => {
    await events?.close();
    await app?.close();
    await db?.drop();
  });

  it('counts requests by route pattern without a token, with durations and the runtime defaults', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    expect((await fetch(`${url}/v1/apps/acme-secret-app/releases/v3`)).status).toBe(401);
    expect((await fetch(`${url}/v1/apps/acme-secret-app/releases/not-a-version`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${url}/no/such/acme-secret-app`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${url}/v1/webhooks/registry/acme-secret-receiver`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await oversizeDelivery(url, '01JTQ3W5K8M2N4P6R8T0V2X4Y6')).toBe(413);
    // Refused by the body parser, before any route matched.
    expect((await fetch(`${url}/v1/apps`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"name":' })).status).toBe(400);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe(new Registry().contentType);
    const route = '/v1/apps/:app/releases/:version';
    expect(sample(text, `hangar_http_requests_total{method="GET",route="${route}",status="401"}`)).toBe(1);
    expect(sample(text, `hangar_http_requests_total{method="GET",route="${route}",status="400"}`)).toBe(1);
    expect(sample(text, 'hangar_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'hangar_http_requests_total{method="POST",route="/v1/webhooks/registry/:receiver",status="404"}')).toBe(1);
    expect(sample(text, 'hangar_http_requests_total{method="POST",route="/v1/webhooks/registry/:receiver",status="413"}')).toBe(1);
    expect(sample(text, `hangar_http_request_duration_seconds_count{method="GET",route="${route}",status="401"}`)).toBe(1);
    expect(sample(text, `hangar_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="${route}",status="400"}`)).toBe(1);
    expect(sample(text, 'hangar_http_requests_total{method="POST",route="unmatched",status="400"}')).toBe(1);
    expect(sample(text, 'hangar_webhook_deliveries_total{source="unknown",outcome="not_found"}')).toBe(1);
    expect(sample(text, 'hangar_webhook_deliveries_total{source="unknown",outcome="too_large"}')).toBe(1);
    expect(text).not.toContain('acme-secret');
    expect(text).not.toContain('01JTQ3W5K8M2N4P6R8T0V2X4Y6');
    expect(text).toMatch(/^hangar_gateway_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^hangar_gateway_nodejs_eventloop_lag_seconds \d/m);

    // The scrape itself is counted once it finished.
    expect(sample((await scrape()).text, 'hangar_http_requests_total{method="GET",route="/metrics",status="200"}')).toBe(1);
  });

  it('reads release statuses, the event count and the relay lag from the store', async () => {
    const release = (id: string, ...types: string[]) =>
      events.store.append(`release-${id}`, types.map((type) => ({ type, data: { releaseId: id, app: 'web' } })), { expectedVersion: 'NO_STREAM' });
    await release('01A', 'ReleaseQueued', 'ReleaseStarted', 'ReleaseCompleted');
    await release('01B', 'ReleaseQueued', 'ReleaseStarted');
    await release('01C', 'ReleaseQueued');
    await release('01D', 'ReleaseQueued', 'ReleaseStarted', 'ReleaseFailed', 'ReleaseRolledBack');
    await events.store.append('app-web', [{ type: 'AppCreated', data: { app: 'web' } }], { expectedVersion: 'ANY' });

    const count = await storeCount();
    const text = await scrapeUntil(`${count} events`, (t) => sample(t, 'hangar_events_total') === count);
    expect(count).toBeGreaterThanOrEqual(11);
    expect(sample(text, 'hangar_events_total')).toBe(count);
    const statuses = Object.fromEntries(['queued', 'running', 'complete', 'failed', 'cancelled', 'rolled_back'].map((s) => [s, sample(text, `hangar_releases{status="${s}"}`)]));
    expect(statuses).toEqual({ queued: 1, running: 1, complete: 1, failed: 0, cancelled: 0, rolled_back: 1 });
    // No relay runs in this test: nothing is published yet.
    expect(sample(text, 'hangar_relay_lag_events')).toBe(count);

    await events.pool.query(`INSERT INTO relay_checkpoints (name, transaction_id, global_position) VALUES ($1, '1'::xid8, $2)`, [eventsStreamName(ns), count - 2]);
    expect(sample(await scrapeUntil('a lag of 2', (t) => sample(t, 'hangar_relay_lag_events') !== count), 'hangar_relay_lag_events')).toBe(2);
  });

  it('still answers when a gauge query fails, leaving out that gauge only', async () => {
    await events.pool.query('ALTER TABLE relay_checkpoints RENAME TO relay_checkpoints_away');
    try {
      const text = await scrapeUntil('no relay lag', (t) => !t.includes('hangar_relay_lag_events'));
      expect((await scrape()).status).toBe(200);
      expect(sample(text, 'hangar_events_total')).toBe(await storeCount());
      expect(text).toContain('hangar_http_requests_total');
    } finally {
      await events.pool.query('ALTER TABLE relay_checkpoints_away RENAME TO relay_checkpoints');
    }
  });

  it('reads the store once for many concurrent scrapes, each still answered with the values', async () => {
    const pool = app.get<Pool>(PG_POOL);
    const expected = await storeCount();
    await scrapeUntil(`${expected} events`, (t) => sample(t, 'hangar_events_total') === expected);
    const query = jest.spyOn(pool, 'query');
    try {
      const began = Date.now();
      const scrapes = await Promise.all(Array.from({ length: 30 }, () => scrape()));
      const elapsed = Date.now() - began;
      const statusQueries = query.mock.calls.filter(([sql]) => String(sql).includes('DISTINCT ON')).length;
      // At most one computation per CACHE_MS however slow a loaded machine makes the 30 scrapes (without the cache: 30).
      expect(statusQueries).toBeLessThanOrEqual(1 + Math.floor(elapsed / CACHE_MS));
      expect(statusQueries).toBeLessThan(30);
      for (const { status, text } of scrapes) {
        expect(status).toBe(200);
        expect(sample(text, 'hangar_events_total')).toBe(expected);
        expect(sample(text, 'hangar_releases{status="running"}')).toBe(1);
      }
    } finally {
      query.mockRestore();
    }
  });
});
