import { HangarError } from '@hangar/contracts';
import { WebhookErrorCodes } from './webhook-errors';

export interface DeliveryThrottleLimits {
  /** Length of a counting window, ms (default 60 000). */
  windowMs: number;
  /** Refused deliveries (404, 401) one client address may cause per window (default 60). */
  perAddress: number;
  /** Refused deliveries one receiver id may be sent per window (default 60). */
  perReceiver: number;
  /** Addresses and receiver ids counted at once (default 10 000); the oldest window is dropped first. */
  maxKeys: number;
}

export const DEFAULT_DELIVERY_THROTTLE: DeliveryThrottleLimits = { windowMs: 60_000, perAddress: 60, perReceiver: 60, maxKeys: 10_000 };

/**
 * Rate limit of unauthenticated failures at the webhook endpoint (review M6): once a client address,
 * or a receiver id, caused `perAddress` / `perReceiver` refused deliveries in a window, every delivery
 * from it, or to it, is answered 429 `WEBHOOK.TOO_MANY_FAILURES` with `Retry-After` until the window
 * ends, before any lookup. Behind a reverse proxy every client shares the proxy's address.
 */
export class DeliveryThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limits: DeliveryThrottleLimits = DEFAULT_DELIVERY_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws `WEBHOOK.TOO_MANY_FAILURES` when the address or the receiver id used up its failures. */
  check(receiverId: string | undefined, address: string): void {
    const waitMs = Math.max(this.waitMs(`address ${address}`, this.limits.perAddress), receiverId === undefined ? 0 : this.waitMs(`receiver ${receiverId}`, this.limits.perReceiver));
    if (waitMs <= 0) return;
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    throw new HangarError(WebhookErrorCodes.TOO_MANY_FAILURES, `too many refused deliveries from this address or to this receiver; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }

  /** Counts a refused delivery against the address and the receiver id (undefined: an id no receiver can have). */
  failed(receiverId: string | undefined, address: string): void {
    this.count(`address ${address}`);
    if (receiverId !== undefined) this.count(`receiver ${receiverId}`);
  }

  private waitMs(key: string, limit: number): number {
    const window = this.windows.get(key);
    if (!window || window.failures < limit) return 0;
    return window.start + this.limits.windowMs - this.now();
  }

  private count(key: string): void {
    const now = this.now();
    const window = this.windows.get(key);
    if (window && now - window.start < this.limits.windowMs) {
      window.failures += 1;
      return;
    }
    this.windows.delete(key);
    if (this.windows.size >= this.limits.maxKeys) this.evict(now);
    this.windows.set(key, { start: now, failures: 1 });
  }

  /** Drops the ended windows, or the oldest one when none ended. */
  private evict(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.limits.windowMs) this.windows.delete(key);
    if (this.windows.size >= this.limits.maxKeys) this.windows.delete(this.windows.keys().next().value!);
  }
}
