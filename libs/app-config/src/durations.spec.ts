import { formatGoDuration, parseDurationMs } from './durations';

describe(parseDurationMs.name, () => {
  it.each([
    ['10s', 10_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['2h45m', 9_900_000],
    ['0', 0],
    [' 30s ', 30_000],
  ])('reads the string %p as %p ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it('reads bare numbers as milliseconds', () => {
    expect(parseDurationMs(10_000)).toBe(10_000);
    expect(parseDurationMs(5)).toBe(5);
  });

  it.each(['soon', '', '10', '5 m', '-5s', 's', '1x', '10s5'])('rejects %p', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('rejects negative numbers and non-durations', () => {
    expect(parseDurationMs(-1)).toBeUndefined();
    expect(parseDurationMs(Number.NaN)).toBeUndefined();
    expect(parseDurationMs(true)).toBeUndefined();
    expect(parseDurationMs(undefined)).toBeUndefined();
  });
});

describe(formatGoDuration.name, () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [120_000, '2m0s'],
    [3_600_000, '1h0m0s'],
  ])('prints %p ms as Go does: %p', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
