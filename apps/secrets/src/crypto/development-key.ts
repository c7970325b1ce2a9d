import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvConfigError } from '@hangar/contracts';
import { parseKey, type SecretsConfig } from '../secrets.config';

/**
 * The key-encryption key: `HANGAR_SECRETS_KEY`, or in development one generated once into
 * `<stateDir>/secrets-key` (mode 0600) and reused. `generatedFile` is set when the development key is in use.
 */
export function resolveSecretsKey(config: Pick<SecretsConfig, 'secretsKey' | 'stateDir' | 'production'>): { key: Buffer; developmentFile?: string } {
  if (config.secretsKey) return { key: config.secretsKey };
  if (config.production) throw new EnvConfigError('HANGAR_SECRETS_KEY', 'is required when NODE_ENV=production');
  const dir = resolve(config.stateDir);
  const file = join(dir, 'secrets-key');
  if (existsSync(file)) {
    const key = parseKey({ HANGAR_SECRETS_KEY: readFileSync(file, 'utf8') }, 'HANGAR_SECRETS_KEY');
    if (!key) throw new EnvConfigError('HANGAR_SECRETS_KEY', `the development key file ${file} is empty`);
    return { key, developmentFile: file };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, developmentFile: file };
}
