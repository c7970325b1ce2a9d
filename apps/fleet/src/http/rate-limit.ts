/** `HANGAR_FLEET_RATE_LIMIT`: requests a second per machine and action, and the burst allowed above it. */
export interface RateLimitSetting {
  perSec: number;
  burst: number;
}

/**
 * Token buckets per key (one machine's one action, as Fly limits them): each holds up to `burst`
 * tokens and refills at `perSec`; a request takes one, or is told how long until one is there.
 */
export class RateBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly setting: RateLimitSetting,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the request may go (a token was taken), else ms until the next token. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.setting.burst, at: now };
    const tokens = Math.min(this.setting.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.setting.perSec);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.ceil(((1 - tokens) / this.setting.perSec) * 1000);
  }
}
