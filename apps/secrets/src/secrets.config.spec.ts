import { randomBytes } from 'node:crypto';
import { EnvConfigError } from '@hangar/contracts';
import { secretsConfig } from './secrets.config';

function errorOf(env: Record<string, string>): EnvConfigError {
  try {
    secretsConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvConfigError);
    return error as EnvConfigError;
  }
  throw new Error('expected an EnvConfigError');
}

describe(secretsConfig.name, () => {
  const key = randomBytes(32).toString('base64');

  it('decodes the keys and defaults the retention to 20', () => {
    const previous = randomBytes(32);
    const config = secretsConfig({ HANGAR_SECRETS_KEY: key, HANGAR_SECRETS_KEY_PREVIOUS: previous.toString('base64') });
    expect(config.secretsKey?.toString('base64')).toBe(key);
    expect(config.previousSecretsKey?.equals(previous)).toBe(true);
    expect(config.retainVersions).toBe(20);
  });

  it('stops on a key that is not base64 or not 32 bytes, naming the variable and never echoing the key', () => {
    const bad = errorOf({ HANGAR_SECRETS_KEY: 'not base64!!' });
    expect(bad.variable).toBe('HANGAR_SECRETS_KEY');
    expect(bad.message).not.toContain('not base64!!');
    const short = randomBytes(16).toString('base64');
    const wrongLength = errorOf({ HANGAR_SECRETS_KEY: short });
    expect(wrongLength.message).toBe('HANGAR_SECRETS_KEY: must be 32 random bytes, base64-encoded (`openssl rand -base64 32`); it decodes to 16 bytes');
    expect(wrongLength.message).not.toContain(short);
    expect(errorOf({ HANGAR_SECRETS_KEY: key, HANGAR_SECRETS_KEY_PREVIOUS: short }).variable).toBe('HANGAR_SECRETS_KEY_PREVIOUS');
  });

  it('requires the key in production; in development it may be generated', () => {
    expect(errorOf({ NODE_ENV: 'production' }).message).toMatch(/^HANGAR_SECRETS_KEY: is required when NODE_ENV=production/);
    expect(secretsConfig({}).secretsKey).toBeUndefined();
  });

  it('validates the retention', () => {
    expect(secretsConfig({ HANGAR_SECRETS_RETAIN_VERSIONS: '5' }).retainVersions).toBe(5);
    expect(errorOf({ HANGAR_SECRETS_RETAIN_VERSIONS: '0' }).variable).toBe('HANGAR_SECRETS_RETAIN_VERSIONS');
  });
});
