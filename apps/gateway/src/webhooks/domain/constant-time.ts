// The one `node:` import of the webhooks domain: constant-time comparison and HMAC need node's crypto,
// and putting them behind an injected port would not make the dialects any more testable.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Per-process key: both sides are MACed with it, so the compared buffers always have equal length. */
const COMPARISON_KEY = randomBytes(32);

function mac(value: string | Uint8Array): Buffer {
  return createHmac('sha256', COMPARISON_KEY).update(value).digest();
}

/**
 * Whether `a` equals `b`, in time that depends on neither value nor on where they differ. Comparing the
 * MACs of both (rather than the values) means a length difference neither leaks nor makes
 * `timingSafeEqual` throw.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const equalMacs = timingSafeEqual(mac(a), mac(b));
  // The MACs are equal only when the values are (barring a SHA-256 collision); checking the values
  // too keeps that "barring" out of the security argument.
  return equalMacs && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** Lower-case hex HMAC-SHA256 of `body` keyed with `secret` (GitHub's and JFrog's signature). */
export function hmacSha256Hex(secret: string, body: Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
