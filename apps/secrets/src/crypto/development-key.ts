import { randomBytes } from 'node:crypto';
import { developmentSecret, EnvConfigError } from '@hangar/contracts';
import { parseKey, type SecretsConfig } from '../secrets.config';

/**
 * The key-encryption key: `HANGAR_SECRETS_KEY`, or in development one generated once into
 * `<stateDir>/secrets-key` (mode 0600) and reused. `developmentFile` is set when the development key is in use.
 */
export function resolveSecretsKey(config: Pick<SecretsConfig, 'secretsKey' | 'stateDir' | 'production'>): { key: Buffer; developmentFile?: string } {
  if (config.secretsKey) return { key: config.secretsKey };
  if (config.production) throw new EnvConfigError('HANGAR_SECRETS_KEY', 'is required when NODE_ENV=production');
  const { value, file } = developmentSecret(config.stateDir, 'secrets-key', () => randomBytes(32).toString('base64'));
  const key = parseKey({ HANGAR_SECRETS_KEY: value }, 'HANGAR_SECRETS_KEY');
  if (!key) throw new EnvConfigError('HANGAR_SECRETS_KEY', `the development key file ${file} is empty`);
  return { key, developmentFile: file };
}
