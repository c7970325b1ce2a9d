import { HangarError, RECEIVER_FORBIDDEN } from '@hangar/contracts';

/** Stable codes of the webhook endpoint's answers (HTTP statuses in `http/http-error.filter.ts`). */
export const WebhookErrorCodes = {
  /** 413: the body is over the cap (declared or counted). */
  TOO_LARGE: 'WEBHOOK.TOO_LARGE',
  /** 400: the sender stopped before the end of the body it announced. */
  INCOMPLETE_BODY: 'WEBHOOK.INCOMPLETE_BODY',
  /** 401: the delivery does not carry the receiver's secret the way its source sends it. */
  UNAUTHORIZED: 'WEBHOOK.UNAUTHORIZED',
  /** 400: authenticated, but nothing in it can be used; `details.path` names the field. */
  INVALID_PAYLOAD: 'WEBHOOK.INVALID_PAYLOAD',
  /** 429: the client address or the receiver id caused too many refused deliveries lately; `details.retryAfterSeconds`. */
  TOO_MANY_FAILURES: 'WEBHOOK.TOO_MANY_FAILURES',
  /** 403: authenticated, but it names a push outside its receiver's registry host or repository prefix. */
  FORBIDDEN: RECEIVER_FORBIDDEN,
  /** 404: no such receiver (or a removed one). */
  RECEIVER_NOT_FOUND: 'REGISTRY.RECEIVER_NOT_FOUND',
} as const;

export function receiverNotFound(receiverId: string): HangarError {
  return new HangarError(WebhookErrorCodes.RECEIVER_NOT_FOUND, `no receiver ${JSON.stringify(receiverId.slice(0, 80))}`);
}
