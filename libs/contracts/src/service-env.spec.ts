import { EnvConfigError, readEventsStreamLimits, readServiceEnv } from './service-env';

const GIB = 2 ** 30;
const DAY_MS = 86_400_000;

describe(readEventsStreamLimits.name, () => {
  it('defaults to 30 days, and 10 GiB in production, 256 MiB elsewhere', () => {
    expect(readEventsStreamLimits({}, true)).toEqual({ maxAgeMs: 30 * DAY_MS, maxBytes: 10 * GIB });
    expect(readEventsStreamLimits({}, false)).toEqual({ maxAgeMs: 30 * DAY_MS, maxBytes: 256 * 2 ** 20 });
    expect(readServiceEnv({ NODE_ENV: 'production' }).eventsStream).toEqual({ maxAgeMs: 30 * DAY_MS, maxBytes: 10 * GIB });
  });

  it('reads durations in minutes, hours or days and sizes in bytes or binary units', () => {
    expect(readEventsStreamLimits({ HANGAR_STREAM_MAX_AGE: '72h', HANGAR_STREAM_MAX_BYTES: '512MiB' }, true)).toEqual({ maxAgeMs: 3 * DAY_MS, maxBytes: 512 * 2 ** 20 });
    expect(readEventsStreamLimits({ HANGAR_STREAM_MAX_AGE: '90m', HANGAR_STREAM_MAX_BYTES: '1073741824' }, true)).toEqual({ maxAgeMs: 90 * 60_000, maxBytes: GIB });
    expect(readEventsStreamLimits({ HANGAR_STREAM_MAX_AGE: '0', HANGAR_STREAM_MAX_BYTES: '2 GiB' }, true)).toEqual({ maxAgeMs: 0, maxBytes: 2 * GIB });
  });

  it.each([
    ['HANGAR_STREAM_MAX_AGE', '30'],
    ['HANGAR_STREAM_MAX_AGE', '30 days'],
    ['HANGAR_STREAM_MAX_AGE', '10m'],
    ['HANGAR_STREAM_MAX_AGE', '-1d'],
    ['HANGAR_STREAM_MAX_BYTES', '10GB'],
    ['HANGAR_STREAM_MAX_BYTES', '0'],
    ['HANGAR_STREAM_MAX_BYTES', '1KiB'],
    ['HANGAR_STREAM_MAX_BYTES', 'lots'],
  ])('refuses %s=%s with an error naming the variable', (variable, value) => {
    const fail = () => readServiceEnv({ [variable]: value });
    expect(fail).toThrow(EnvConfigError);
    expect(fail).toThrow(new RegExp(`^${variable}: must be .*got "${value}"`));
  });
});
