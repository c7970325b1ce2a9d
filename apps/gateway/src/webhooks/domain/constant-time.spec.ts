import { constantTimeEqual, hmacSha256Hex } from './constant-time';

describe('constantTimeEqual', () => {
  it('is true only for equal values', () => {
    expect(constantTimeEqual('s3cret', 's3cret')).toBe(true);
    expect(constantTimeEqual('s3cret', 's3creT')).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
  });

  it('compares values of different lengths without throwing', () => {
    expect(constantTimeEqual('short', 'a much longer value')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('hmacSha256Hex', () => {
  it('matches the test vector of GitHub\'s "validating webhook deliveries"', () => {
    expect(hmacSha256Hex("It's a Secret to Everybody", new TextEncoder().encode('Hello, World!'))).toBe(
      '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });
});
