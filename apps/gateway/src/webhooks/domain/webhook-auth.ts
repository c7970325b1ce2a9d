import { constantTimeEqual, hmacSha256Hex } from './constant-time';
import type { AuthCheck, WebhookDelivery } from './webhook-delivery';

// Reasons say what was missing or wrong and never quote a header, query value or the secret.

const OK: AuthCheck = { ok: true };
const NO_SECRET: AuthCheck = { ok: false, reason: 'the receiver has no secret to check against' };
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function fail(reason: string): AuthCheck {
  return { ok: false, reason };
}

/** `Authorization: Bearer <secret>` (distribution's endpoint headers, Harbor's Auth Header, ACR custom headers). */
export function bearerAuth(secret: string, delivery: WebhookDelivery): AuthCheck {
  if (secret === '') return NO_SECRET;
  const header = delivery.headers['authorization'];
  if (header === undefined || header === '') return fail('Authorization header is missing');
  const match = /^Bearer +(.+)$/i.exec(header);
  if (!match) return fail('Authorization header is not "Bearer <secret>"');
  return constantTimeEqual(match[1], secret) ? OK : fail('Authorization bearer token does not match the receiver secret');
}

/** A header carrying the secret itself, e.g. `x-api-key` from an EventBridge API destination. */
export function headerSecretAuth(headerName: string, secret: string, delivery: WebhookDelivery): AuthCheck {
  if (secret === '') return NO_SECRET;
  const header = delivery.headers[headerName.toLowerCase()];
  if (header === undefined || header === '') return fail(`${headerName} header is missing`);
  return constantTimeEqual(header, secret) ? OK : fail(`${headerName} header does not match the receiver secret`);
}

/** `?token=<secret>` in the receiver URL, for registries that can send nothing else (Docker Hub, Quay, Pub/Sub push). */
export function queryTokenAuth(secret: string, delivery: WebhookDelivery): AuthCheck {
  if (secret === '') return NO_SECRET;
  const token = delivery.query['token'];
  if (token === undefined || token === '') return fail('token query parameter is missing');
  return constantTimeEqual(token, secret) ? OK : fail('token query parameter does not match the receiver secret');
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export function hubSignatureAuth(secret: string, delivery: WebhookDelivery): AuthCheck {
  if (secret === '') return NO_SECRET;
  const header = delivery.headers['x-hub-signature-256'];
  if (header === undefined || header === '') {
    return fail('X-Hub-Signature-256 header is missing (is a secret set on the GitHub webhook?)');
  }
  const match = /^sha256=(.*)$/.exec(header);
  if (!match || !HEX_SHA256.test(match[1])) return fail('X-Hub-Signature-256 is not "sha256=<64 hex digits>"');
  const expected = hmacSha256Hex(secret, delivery.body);
  return constantTimeEqual(match[1].toLowerCase(), expected) ? OK : fail('X-Hub-Signature-256 does not match the body');
}

/**
 * JFrog: `X-JFrog-Event-Auth` is the hex HMAC-SHA256 of the body when "use secret for signing" is on,
 * and the secret itself when it is off. Both comparisons always run, so the time taken does not tell
 * which mode the receiver would have accepted.
 */
export function jfrogEventAuth(secret: string, delivery: WebhookDelivery): AuthCheck {
  if (secret === '') return NO_SECRET;
  const header = delivery.headers['x-jfrog-event-auth'];
  if (header === undefined || header === '') return fail('X-JFrog-Event-Auth header is missing');
  const signed = constantTimeEqual(header.toLowerCase(), hmacSha256Hex(secret, delivery.body));
  const plain = constantTimeEqual(header, secret);
  return signed || plain ? OK : fail('X-JFrog-Event-Auth matches neither the body signature nor the receiver secret');
}
