import { backoffDelay, isRetryable, parseRetryAfter } from './retry-policy';

const opts = { attempts: 5, baseDelayMs: 100, maxDelayMs: 2000 };

describe('backoffDelay', () => {
  it('doubles from the base delay and stays within half to full of the nominal value', () => {
    expect(backoffDelay(1, opts, () => 0)).toBe(50);
    expect(backoffDelay(1, opts, () => 1)).toBe(100);
    expect(backoffDelay(3, opts, () => 0)).toBe(200);
    expect(backoffDelay(3, opts, () => 1)).toBe(400);
  });

  it('never exceeds the cap, even when Retry-After asks for longer', () => {
    expect(backoffDelay(20, opts, () => 1)).toBe(2000);
    expect(backoffDelay(1, opts, () => 0, 60_000)).toBe(2000);
  });

  it('honours a Retry-After longer than its own delay', () => {
    expect(backoffDelay(1, opts, () => 0, 700)).toBe(700);
  });
});

describe('isRetryable', () => {
  it.each([
    ['idempotent', 408, true],
    ['idempotent', 502, true],
    ['idempotent', 'transport', true],
    ['idempotent', 404, false],
    ['idempotent', 409, false],
    ['keyed', 500, true],
    ['update', 503, true],
    ['update', 500, false],
    ['update', 'transport', false],
    ['update', 429, true],
    ['once', 500, false],
    ['once', 'transport', false],
    ['once', 429, true],
  ] as const)('%s on %s → %s', (retryClass, failure, expected) => {
    expect(isRetryable(retryClass, failure)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(new Date(5000).toUTCString(), 1000)).toBe(4000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
