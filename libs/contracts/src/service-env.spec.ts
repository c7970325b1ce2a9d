import { randomBytes } from 'node:crypto';
import { EnvConfigError, readEventsStreamLimits, readOpsEndpoint, readServiceEnv, type Env } from './service-env';

describe(readServiceEnv.name, () => {
  const generated = randomBytes(32).toString('base64');
  const production = (over: Env): Env => ({ NODE_ENV: 'production', HANGAR_ADMIN_TOKEN: generated, HANGAR_MACHINES_API_TOKEN: generated, ...over });
  const errorOf = (env: Env): EnvConfigError => {
    try {
      readServiceEnv(env);
    } catch (error) {
      if (error instanceof EnvConfigError) return error;
      throw error;
    }
    throw new Error('readServiceEnv accepted the environment');
  };

  it('accepts generated tokens in production', () => {
    const flyToken = `FlyV1 fm2_${randomBytes(300).toString('base64')},fm2_${randomBytes(200).toString('base64')}`;
    const sut = readServiceEnv(production({ HANGAR_MACHINES_API_TOKEN: flyToken }));
    expect(sut).toMatchObject({ production: true, adminToken: generated, machinesApiToken: flyToken });
    expect(readServiceEnv(production({ HANGAR_ADMIN_TOKEN: randomBytes(32).toString('hex') })).adminToken).toHaveLength(64);
  });

  it.each(['HANGAR_ADMIN_TOKEN', 'HANGAR_MACHINES_API_TOKEN'])('refuses placeholders for %s in production, naming it and never echoing the value', (variable) => {
    const placeholders = [
      'change-me-to-a-long-random-token',
      'CHANGE_ME_0123456789abcdefghijklmnopqrstuvwxyz',
      'changeme0123456789abcdefghijklmnopqrstuvwxyz',
      'token-from-the-example-0123456789abcdefghijkl',
      'placeholder-0123456789abcdefghijklmnopqrstuvwxyz',
      'replace-this-with-0123456789abcdefghijklmnopq',
      'sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0123456789',
    ];
    for (const value of placeholders) {
      const error = errorOf(production({ [variable]: value }));
      expect(error.variable).toBe(variable);
      expect(error.message).toMatch(new RegExp(`^${variable}: looks like a placeholder`));
      expect(error.message).not.toContain(value);
    }
  });

  it.each([
    ['shorter than 32 characters', 'Zq3vN8rT1pL6wX0yB4mK2sD'],
    ['fewer than 10 distinct characters', 'abababababababababababababababab0123'],
  ])('refuses a token %s in production', (_why, value) => {
    for (const variable of ['HANGAR_ADMIN_TOKEN', 'HANGAR_MACHINES_API_TOKEN']) {
      const error = errorOf(production({ [variable]: value }));
      expect(error.message).toMatch(new RegExp(`^${variable}: is too weak for NODE_ENV=production`));
      expect(error.message).not.toContain(value);
    }
  });

  it('checks only production, where the deploy manifests run', () => {
    const env = { HANGAR_ADMIN_TOKEN: 'change-me-to-a-long-random-token', HANGAR_MACHINES_API_TOKEN: 'tok' };
    expect(readServiceEnv(env)).toMatchObject({ production: false, adminToken: env.HANGAR_ADMIN_TOKEN, machinesApiToken: 'tok' });
    expect(readServiceEnv({ ...env, NODE_ENV: 'development' }).production).toBe(false);
    expect(errorOf({ ...env, NODE_ENV: 'production' }).variable).toBe('HANGAR_ADMIN_TOKEN');
  });

  it('leaves unset tokens to the services that require them', () => {
    expect(readServiceEnv({ NODE_ENV: 'production' })).toMatchObject({ production: true, adminToken: undefined, machinesApiToken: undefined });
  });
});

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

describe(readOpsEndpoint.name, () => {
  it('is off unless HANGAR_OPS_PORT is set, binds to loopback by default, and takes 0 for a free port', () => {
    expect(readOpsEndpoint({})).toBeUndefined();
    expect(readOpsEndpoint({ HANGAR_OPS_PORT: ' ' })).toBeUndefined();
    expect(readOpsEndpoint({ HANGAR_OPS_PORT: '9090' })).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(readOpsEndpoint({ HANGAR_OPS_PORT: '0', HANGAR_OPS_HOST: '0.0.0.0' })).toEqual({ host: '0.0.0.0', port: 0 });
    expect(readServiceEnv({ HANGAR_OPS_PORT: '9091' }).ops).toEqual({ host: '127.0.0.1', port: 9091 });
  });

  it.each(['http', '-1', '65536', '90.5'])('refuses HANGAR_OPS_PORT=%s naming the variable', (value) => {
    expect(() => readServiceEnv({ HANGAR_OPS_PORT: value })).toThrow(new RegExp(`^HANGAR_OPS_PORT: must be an integer from 0 to 65535; got "${value}"`));
  });
});
