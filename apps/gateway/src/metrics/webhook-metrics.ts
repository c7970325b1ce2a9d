import { Counter, type Registry } from 'prom-client';
import { HangarError, type RegistrySource } from '@hangar/contracts';
import { WebhookErrorCodes } from '../webhooks/webhook-errors';

/** What became of one registry webhook delivery. */
export type WebhookOutcome = 'recorded' | 'duplicate' | 'ignored' | 'unauthorized' | 'forbidden' | 'invalid' | 'too_large' | 'not_found' | 'throttled';

/** The port webhook ingress reports each delivery's outcome through. */
export abstract class WebhookMetrics {
  /** `source` is undefined when the delivery was refused before its receiver was known. */
  abstract delivery(source: RegistrySource | undefined, outcome: WebhookOutcome): void;
}

/**
 * A delivery's outcome from builder's answer: `recorded` when it recorded at least one new push,
 * else `duplicate` when every push was one already recorded, else `ignored` (nothing but ignored items).
 */
export function answerOutcome(answer: { readonly pushes: readonly { readonly status: 'recorded' | 'duplicate' }[] }): WebhookOutcome {
  if (answer.pushes.some((p) => p.status === 'recorded')) return 'recorded';
  return answer.pushes.length > 0 ? 'duplicate' : 'ignored';
}

/**
 * The outcome of a refused delivery, by its error code; `undefined` for a failure that is no answer
 * about the delivery itself (builder unreachable, an internal error): those are in the HTTP metrics only.
 */
export function refusalOutcome(error: unknown): WebhookOutcome | undefined {
  if (!(error instanceof HangarError)) return undefined;
  switch (error.code) {
    case WebhookErrorCodes.TOO_LARGE:
      return 'too_large';
    case WebhookErrorCodes.RECEIVER_NOT_FOUND:
      return 'not_found';
    case WebhookErrorCodes.UNAUTHORIZED:
      return 'unauthorized';
    case WebhookErrorCodes.TOO_MANY_FAILURES:
      return 'throttled';
    case WebhookErrorCodes.FORBIDDEN:
      return 'forbidden';
    // Both are 400s: nothing usable arrived.
    case WebhookErrorCodes.INVALID_PAYLOAD:
    case WebhookErrorCodes.INCOMPLETE_BODY:
      return 'invalid';
    default:
      return undefined;
  }
}

/** `hangar_webhook_deliveries_total{source,outcome}`; `source="unknown"` before the receiver was found. */
export class PrometheusWebhookMetrics extends WebhookMetrics {
  private readonly deliveries: Counter<'source' | 'outcome'>;

  constructor(registry: Registry) {
    super();
    this.deliveries = new Counter({
      name: 'hangar_webhook_deliveries_total',
      help: 'Registry webhook deliveries, by receiver source and outcome',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    });
  }

  delivery(source: RegistrySource | undefined, outcome: WebhookOutcome): void {
    this.deliveries.inc({ source: source ?? 'unknown', outcome });
  }
}
