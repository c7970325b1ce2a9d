import { Inject, Injectable } from '@nestjs/common';
import { HangarError } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore } from '@hangar/event-store';
import { SecretsCryptoErrors, type SecretCrypto } from '../crypto/secret-crypto';
import { SECRET_CRYPTO } from '../secrets.tokens';
import { secretsDecider } from './domain/secrets.decider';
import { SecretValuesRepository } from './secret-values.repository';
import { SecretsStreams } from './secrets-streams';
import { ReceiverSecrets } from '../receivers/receiver-secrets.service';

export interface RotationResult {
  keyId: string;
  /** Apps whose data key was re-wrapped by this call. */
  rotated: string[];
  /** Registry receivers whose secret's data key was re-wrapped. */
  receivers?: number;
  message: string;
}

/**
 * `secrets rotate-key`: re-wraps every data key (apps' and registry receivers') not yet under `HANGAR_SECRETS_KEY` (from
 * `HANGAR_SECRETS_KEY_PREVIOUS`), in one transaction. No value changes and no release is created.
 */
@Injectable()
export class KeyRotation {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SECRET_CRYPTO) private readonly crypto: SecretCrypto,
    private readonly streams: SecretsStreams,
    private readonly repository: SecretValuesRepository,
    private readonly receivers: ReceiverSecrets,
  ) {}

  async rotate(actor: string): Promise<RotationResult> {
    const keyId = this.crypto.currentKeyId;
    return retryOnConflict(() =>
      this.store.transaction(async (tx) => {
        const stale = await this.repository.staleDataKeys(tx, keyId);
        const unknown = stale.filter((k) => !this.crypto.knownKeyIds.includes(k.keyId));
        if (unknown.length > 0) {
          const ids = [...new Set(unknown.map((k) => k.keyId))];
          throw new HangarError(
            SecretsCryptoErrors.KEY_UNAVAILABLE,
            `the data keys of ${unknown.length} app(s) (${unknown.map((k) => k.app).slice(0, 10).join(', ')}) are wrapped by key ${ids.join(', ')}, which this service does not hold: set HANGAR_SECRETS_KEY_PREVIOUS to that key and run rotate-key again`,
            { apps: unknown.map((k) => k.app), keyIds: ids },
          );
        }
        for (const stored of stale) {
          await this.repository.rewrap(tx, stored.app, this.crypto.rewrap(stored.app, stored), stored.keyId);
          const loaded = await this.streams.load(stored.app, tx);
          const events = secretsDecider.decide({ type: 'RecordKeyRotation', app: stored.app, fromKeyId: stored.keyId, toKeyId: keyId }, loaded.state);
          await this.streams.append(stored.app, loaded, events, { actor }, tx);
        }
        const rotated = stale.map((k) => k.app);
        const receivers = await this.receivers.rotate(tx);
        const also = receivers > 0 ? ` and of ${receivers} registry receiver(s)` : '';
        const message =
          rotated.length === 0 && receivers === 0
            ? `Every data key is already wrapped by the current key ${keyId}`
            : `Re-wrapped the data keys of ${rotated.length} app(s)${also} under key ${keyId}; no value changed and no release was created`;
        return { keyId, rotated, ...(receivers > 0 ? { receivers } : {}), message };
      }),
    );
  }
}
