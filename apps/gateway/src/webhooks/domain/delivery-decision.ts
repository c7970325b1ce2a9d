import type { IgnoredDeliveryItem, NormalizedPush } from '@hangar/contracts';
import { WebhookPayloadError, type RegistryDialect, type WebhookDelivery } from './webhook-delivery';

/**
 * What to do with one delivery to a receiver: refuse it (401, or 400 naming the field; nothing is
 * recorded either way) or record its pushes and ignored items (answered 2xx).
 */
export type DeliveryDecision =
  | { readonly kind: 'unauthorized'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly path: string; /** Starts with the path. */ readonly message: string }
  | { readonly kind: 'record'; readonly pushes: NormalizedPush[]; readonly ignored: IgnoredDeliveryItem[] };

/**
 * Authenticates on the raw bytes first (a truncated body with a bad signature is unauthorized, not
 * invalid), then parses. Unusable events of a batch that holds something usable are recorded as
 * ignored with the field at fault, so one bad event never makes the sender retry the good ones;
 * a delivery of nothing but unusable events is invalid, naming the first.
 */
export function decideDelivery(dialect: RegistryDialect, secret: string, delivery: WebhookDelivery): DeliveryDecision {
  const auth = dialect.authenticate(secret, delivery);
  if (!auth.ok) return { kind: 'unauthorized', reason: auth.reason };
  let parsed;
  try {
    parsed = dialect.parse(delivery);
  } catch (error) {
    if (error instanceof WebhookPayloadError) return { kind: 'invalid', path: error.path, message: namingPath(error.path, error.message) };
    throw error;
  }
  const [firstInvalid] = parsed.invalid;
  if (firstInvalid && parsed.pushes.length === 0 && parsed.ignored.length === 0) {
    return { kind: 'invalid', path: firstInvalid.path, message: namingPath(firstInvalid.path, firstInvalid.message) };
  }
  const ignored = [...parsed.ignored, ...parsed.invalid.map((item) => ({ reason: `invalid event: ${namingPath(item.path, item.message)}` }))];
  return { kind: 'record', pushes: parsed.pushes, ignored: ignored.map((item) => ({ ...item, reason: clipReason(item.reason) })) };
}

/** The longest reason builder records; a longer one would make it refuse the whole delivery. */
export const MAX_IGNORED_REASON_LENGTH = 500;

function clipReason(reason: string): string {
  return reason.length <= MAX_IGNORED_REASON_LENGTH ? reason : `${reason.slice(0, MAX_IGNORED_REASON_LENGTH - 1)}…`;
}

/** The message as `<path> <what is wrong>`, whether or not the dialect already started it with the path. */
function namingPath(path: string, message: string): string {
  return message.startsWith(path) ? message : `${path} ${message}`;
}
