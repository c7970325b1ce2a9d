import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule, resolveAuditKey } from '@hangar/event-store';
import { MessagingModule } from '@hangar/messaging';
import type { SecretsConfig } from './secrets.config';
import type { SecretCrypto } from './crypto/secret-crypto';
import { SECRET_CRYPTO, SECRETS_SETTINGS } from './secrets.tokens';
import { AppDirectory } from './secrets/app-directory';
import { KeyRotation } from './secrets/key-rotation.service';
import { SecretChanges } from './secrets/secret-changes.service';
import { SecretDeliveryHandler } from './secrets/secret-delivery.handler';
import { SecretValues } from './secrets/secret-values.service';
import { SecretValuesRepository } from './secrets/secret-values.repository';
import { SecretsHandler } from './secrets/secrets.handler';
import { SecretsStreams } from './secrets/secrets-streams';
import { ReleaseTrackingConsumer } from './releases/release-tracking.consumer';
import { ReceiverSecrets } from './receivers/receiver-secrets.service';
import { ReceiverSecretsHandler } from './receivers/receiver-secrets.handler';

/** Composition root of the secrets service: envelope-encrypted storage, its commands, release tracking. */
@Module({})
export class SecretsModule {
  static forRoot(config: SecretsConfig, crypto: SecretCrypto): DynamicModule {
    return {
      module: SecretsModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, auditKey: resolveAuditKey(config.audit).key, poolSize: 5 }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: config.nats, ns: config.namespace, service: 'secrets', eventsStream: config.eventsStream }) }),
      ],
      controllers: [SecretsHandler, SecretDeliveryHandler, ReceiverSecretsHandler],
      providers: [
        { provide: SECRET_CRYPTO, useValue: crypto },
        { provide: SECRETS_SETTINGS, useValue: { retainVersions: config.retainVersions } },
        AppDirectory,
        SecretsStreams,
        SecretValuesRepository,
        SecretChanges,
        SecretValues,
        KeyRotation,
        ReleaseTrackingConsumer,
        ReceiverSecrets,
      ],
    };
  }
}
