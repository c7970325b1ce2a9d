import { resolveStateKey } from '@hangar/contracts';
import type { SecretsConfig } from '../secrets.config';

/**
 * The key-encryption key: `HANGAR_SECRETS_KEY`, or in development one generated once into
 * `<stateDir>/secrets-key` (mode 0600) and reused (`resolveStateKey`: of several services starting at
 * once exactly one writes it). `developmentFile` is set when the development key is in use.
 */
export function resolveSecretsKey(config: Pick<SecretsConfig, 'secretsKey' | 'stateDir' | 'production'>): { key: Buffer; developmentFile?: string } {
  return resolveStateKey({ variable: 'HANGAR_SECRETS_KEY', value: config.secretsKey, file: 'secrets-key', stateDir: config.stateDir, production: config.production });
}
