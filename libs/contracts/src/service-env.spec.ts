import { randomBytes } from 'node:crypto';
import { EnvConfigError, readServiceEnv, type Env } from './service-env';

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
