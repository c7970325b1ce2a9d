import type { Response } from 'express';
import type { NatsConnection } from 'nats';
import type { EventStore } from '@hangar/event-store';
import { HealthController } from './health.controller';

/** `/readyz` is public: it says what is down, never the error text (review L3). */
describe(HealthController.name, () => {
  const answer = async (store: Partial<EventStore>, closed: boolean, flush: () => Promise<void> = () => Promise.resolve()) => {
    const sut = new HealthController(store as EventStore, { isClosed: () => closed, flush } as unknown as NatsConnection);
    let status = 0;
    let body: unknown;
    const res = { status: (s: number) => ((status = s), res), json: (b: unknown) => (body = b) } as unknown as Response;
    await sut.readyz(res);
    return { status, body };
  };

  it('answers 503 naming the failing dependency without its error text', async () => {
    const secretish = 'password authentication failed for user "hangar" at 10.1.2.3:5432';
    const { status, body } = await answer({ streamVersion: () => Promise.reject(new Error(secretish)) }, true);
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'unavailable', checks: { database: 'error', nats: 'error' } });
    expect(JSON.stringify(body)).not.toContain('10.1.2.3');
  });

  it('answers 503 when NATS is reconnecting (open, but a flush gets no answer)', async () => {
    const { status, body } = await answer({ streamVersion: () => Promise.resolve(0) }, false, () => Promise.reject(new Error('disconnected')));
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'unavailable', checks: { database: 'ok', nats: 'error' } });
  });

  it('answers 200 when both answer', async () => {
    expect(await answer({ streamVersion: () => Promise.resolve(0) }, false)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', nats: 'ok' } } });
  });
});
