import type { IgnoredDeliveryItem, NormalizedPush, RegistrySource } from '@hangar/contracts';

/** One HTTP delivery to `POST /v1/webhooks/registry/:receiver`, as the dialects see it. */
export interface WebhookDelivery {
  /** Request headers, names lower-case; a repeated header joined with `, ` (Node's way). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Query parameters (first value of each). */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The raw body, exactly as received (at most 1 MiB). */
  readonly body: Buffer;
  /** When the gateway received it: the push time of sources whose payload has none (Quay, JFrog). */
  readonly receivedAt: Date;
}

/** Whether the delivery carries the receiver's secret the way its source sends it. */
export type AuthCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** One event of a batch that is unusable (a field missing or of the wrong type), by JSON path. */
export interface InvalidDeliveryItem {
  /** JSON path of the offending field, e.g. `events[1].target.repository`. */
  readonly path: string;
  readonly message: string;
}

/** What a delivery holds: pushes to record, authenticated items that are not pushes, unusable events. */
export interface ParsedDelivery {
  readonly pushes: NormalizedPush[];
  readonly ignored: IgnoredDeliveryItem[];
  readonly invalid: InvalidDeliveryItem[];
}

/**
 * The whole body is unusable (not JSON, not the source's envelope, a required envelope field
 * missing): the delivery is answered 400 naming `path`, and nothing is recorded.
 */
export class WebhookPayloadError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

/** A registry's webhook dialect: how it proves the secret, and how its payload maps to pushes. */
export interface RegistryDialect {
  readonly source: RegistrySource;
  /** Checks the secret on the raw bytes, before any parsing, in constant time. */
  authenticate(secret: string, delivery: WebhookDelivery): AuthCheck;
  /** Parses an authenticated delivery; throws `WebhookPayloadError` when the body as a whole is unusable. */
  parse(delivery: WebhookDelivery): ParsedDelivery;
}
