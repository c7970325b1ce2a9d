import type { IgnoredDeliveryItem, NormalizedPush, RegistrySource } from '@hangar/contracts';
import { WebhookPayloadError, type InvalidDeliveryItem, type ParsedDelivery } from './webhook-delivery';

/** The fields of a push before the optional ones are dropped when absent. */
export interface PushFields {
  readonly host: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string | undefined;
  readonly pushedAt: string;
  readonly deliveryId?: string | undefined;
}

/**
 * Gathers what one delivery holds. Events of a batch are parsed through `each`: in a batch a bad event
 * is recorded as invalid and the others still count (a 4xx would make the sender retry the whole batch
 * forever); a delivery of one event fails as a whole, so the sender hears about it.
 */
export class DeliveryCollector {
  private readonly pushes: NormalizedPush[] = [];
  private readonly ignored: IgnoredDeliveryItem[] = [];
  private readonly invalid: InvalidDeliveryItem[] = [];

  constructor(
    private readonly source: RegistrySource,
    private readonly batch: boolean,
  ) {}

  push(fields: PushFields): void {
    const { digest, deliveryId, ...required } = fields;
    this.pushes.push({
      ...required,
      ...(digest !== undefined ? { digest } : {}),
      source: this.source,
      ...(deliveryId !== undefined ? { deliveryId } : {}),
    });
  }

  ignore(reason: string, deliveryId?: string): void {
    this.ignored.push(deliveryId !== undefined ? { reason, deliveryId } : { reason });
  }

  each(parseOne: () => void): void {
    if (!this.batch) return parseOne();
    try {
      parseOne();
    } catch (error) {
      if (!(error instanceof WebhookPayloadError)) throw error;
      this.invalid.push({ path: error.path, message: error.message });
    }
  }

  result(): ParsedDelivery {
    return { pushes: this.pushes, ignored: this.ignored, invalid: this.invalid };
  }
}
