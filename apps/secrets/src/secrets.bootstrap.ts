import { Logger, type INestMicroservice } from '@nestjs/common';
import { runMigrations } from '@hangar/event-store';
import { prepareHangarDatabase, startService } from '@hangar/messaging';
import { AesGcmSecretCrypto } from './crypto/aes-gcm.secret-crypto';
import { resolveSecretsKey } from './crypto/development-key';
import type { SecretsConfig } from './secrets.config';
import { secretsMigrations } from './secrets-migrations';
import { SecretsModule } from './secrets.module';

/**
 * Starts the secrets service: the key-encryption key (generated in development, with a warning),
 * Hangar's migrations and its own, then the NATS command server. `hangar server` calls it too.
 */
export async function startSecretsService(config: SecretsConfig, opts: { prepareDatabase?: boolean } = {}): Promise<INestMicroservice> {
  const { key, developmentFile } = resolveSecretsKey(config);
  if (developmentFile) {
    new Logger('secrets').warn(`HANGAR_SECRETS_KEY is not set: using the development key in ${developmentFile}; set HANGAR_SECRETS_KEY (32 random bytes, base64) in production`);
  }
  const crypto = new AesGcmSecretCrypto({ current: key, ...(config.previousSecretsKey ? { previous: config.previousSecretsKey } : {}) });
  if (opts.prepareDatabase ?? true) await prepareHangarDatabase(config.databaseUrl);
  await runMigrations(config.databaseUrl, secretsMigrations);
  return startService(SecretsModule.forRoot(config, crypto), { nats: config.nats, ns: config.namespace, service: 'secrets', ...(config.ops ? { ops: config.ops } : {}) });
}
