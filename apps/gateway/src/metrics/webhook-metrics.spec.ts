import { Registry } from 'prom-client';
import { ErrorCodes, HangarError } from '@hangar/contracts';
import { WebhookErrorCodes } from '../webhooks/webhook-errors';
import { answerOutcome, PrometheusWebhookMetrics, refusalOutcome } from './webhook-metrics';

describe(answerOutcome.name, () => {
  it('is recorded when any push is new, duplicate when all were known, ignored when there was no push', () => {
    expect(answerOutcome({ pushes: [{ status: 'duplicate' }, { status: 'recorded' }] })).toBe('recorded');
    expect(answerOutcome({ pushes: [{ status: 'duplicate' }] })).toBe('duplicate');
    expect(answerOutcome({ pushes: [] })).toBe('ignored');
  });
});

describe(refusalOutcome.name, () => {
  it('names the refusal by its error code', () => {
    expect(refusalOutcome(new HangarError(WebhookErrorCodes.TOO_LARGE, 'x'))).toBe('too_large');
    expect(refusalOutcome(new HangarError(WebhookErrorCodes.RECEIVER_NOT_FOUND, 'x'))).toBe('not_found');
    expect(refusalOutcome(new HangarError(WebhookErrorCodes.UNAUTHORIZED, 'x'))).toBe('unauthorized');
    expect(refusalOutcome(new HangarError(WebhookErrorCodes.INVALID_PAYLOAD, 'x'))).toBe('invalid');
    expect(refusalOutcome(new HangarError(WebhookErrorCodes.INCOMPLETE_BODY, 'x'))).toBe('invalid');
  });

  it('has no outcome for a failure that says nothing about the delivery', () => {
    expect(refusalOutcome(new HangarError('TRANSPORT.TIMEOUT', 'builder did not answer'))).toBeUndefined();
    expect(refusalOutcome(new HangarError(ErrorCodes.INTERNAL, 'x'))).toBeUndefined();
    expect(refusalOutcome(new Error('boom'))).toBeUndefined();
  });
});

describe(PrometheusWebhookMetrics.name, () => {
  it('counts deliveries by source and outcome, "unknown" before the receiver was known', async () => {
    const registry = new Registry();
    const sut = new PrometheusWebhookMetrics(registry);
    sut.delivery('ghcr', 'recorded');
    sut.delivery('ghcr', 'recorded');
    sut.delivery(undefined, 'not_found');
    const text = await registry.metrics();
    expect(text).toContain('hangar_webhook_deliveries_total{source="ghcr",outcome="recorded"} 2');
    expect(text).toContain('hangar_webhook_deliveries_total{source="unknown",outcome="not_found"} 1');
  });
});
