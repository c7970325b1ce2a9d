import { randomBytes } from 'node:crypto';
import { EnvConfigError, resolveStateCredential } from '@hangar/contracts';
import { parseKey, type SecretsConfig } from '../secrets.config';

/**
 * The key-encryption key: `HANGAR_SECRETS_KEY`, or in development one generated once into
 * `<stateDir>/secrets-key` (mode 0600) and reused (`resolveStateCredential`: of several services
 * starting at once exactly one writes it). `developmentFile` is set when the development key is in use.
 */
export function resolveSecretsKey(config: Pick<SecretsConfig, 'secretsKey' | 'stateDir' | 'production'>): { key: Buffer; developmentFile?: string } {
  if (config.secretsKey) return { key: config.secretsKey };
  const { value, file } = resolveStateCredential({
    variable: 'HANGAR_SECRETS_KEY',
    stateDir: config.stateDir,
    production: config.production,
    file: 'secrets-key',
    generate: () => randomBytes(32).toString('base64'),
  });
  const key = parseKey({ HANGAR_SECRETS_KEY: value }, 'HANGAR_SECRETS_KEY');
  if (!key) throw new EnvConfigError('HANGAR_SECRETS_KEY', `the development key file ${file} is empty`);
  return { key, ...(file ? { developmentFile: file } : {}) };
}
