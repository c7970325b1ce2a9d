import { Inject, Injectable } from '@nestjs/common';
import { HangarError, openSealed, type SealedBox } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { SecretsCryptoErrors, type SecretCrypto } from '../crypto/secret-crypto';
import { SECRET_CRYPTO } from '../secrets.tokens';
import { versionEntries } from './domain/secrets.decider';
import { SecretsErrorCodes } from './domain/secret-rules';
import { SecretValuesRepository } from './secret-values.repository';
import { SecretsStreams } from './secrets-streams';

/** Decrypts one secrets version for delivery, and opens values sealed to this service. */
@Injectable()
export class SecretValues {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SECRET_CRYPTO) private readonly crypto: SecretCrypto,
    private readonly streams: SecretsStreams,
    private readonly repository: SecretValuesRepository,
  ) {}

  /** Every name → value of secrets version `version` of `app`; a clear error instead of garbage. */
  async valuesOf(app: string, version: number): Promise<Record<string, string>> {
    return this.store.transaction(async (tx) => {
      const { state } = await this.streams.load(app, tx);
      const entries = Object.entries(versionEntries(state, app, version));
      if (entries.length === 0) return {};
      const stored = await this.repository.dataKey(tx, app);
      if (!stored) throw new HangarError(SecretsErrorCodes.VALUE_MISSING, `the data key of app ${app} is missing`, { app });
      const rows = await this.repository.values(tx, app, entries.map(([name, e]) => ({ name, version: e.setIn })));
      const dataKey = this.crypto.unwrap(app, stored);
      try {
        const values: Record<string, string> = {};
        for (const [name, entry] of entries) {
          const row = rows.find((r) => r.name === name && r.version === entry.setIn);
          if (!row) throw new HangarError(SecretsErrorCodes.VALUE_MISSING, `the ciphertext of secret ${name} (version ${entry.setIn}) of app ${app} is missing`, { app, name, version: entry.setIn });
          const value = this.crypto.decrypt(dataKey, { app, name, version: entry.setIn }, row.ciphertext);
          if (this.crypto.digest(dataKey, value) !== entry.digest && this.crypto.legacyDigest(value) !== entry.digest) {
            throw new HangarError(SecretsCryptoErrors.DECRYPT_FAILED, `secret ${name} (version ${entry.setIn}) of app ${app} does not match its recorded digest`, { app, name, version: entry.setIn });
          }
          values[name] = value;
        }
        return values;
      } finally {
        dataKey.key.fill(0);
      }
    });
  }

  /** The current transport public key, which senders seal `set` values to. */
  transportKey(): { kid: string; publicKey: string } {
    const current = this.crypto.transportKeys[0]!;
    return { kid: current.kid, publicKey: current.pair.publicKey };
  }

  /** Opens a box sealed to the current or previous transport key. */
  open(box: unknown, context: string): string {
    const kid = (box as Partial<SealedBox> | undefined)?.kid;
    const candidates = this.crypto.transportKeys.filter((k) => kid === undefined || k.kid === kid);
    if (candidates.length === 0) {
      throw new HangarError('SECRETS.TRANSPORT_KEY_UNKNOWN', `the values are sealed to transport key ${kid}, which this service does not hold: fetch the current one (transport-key) and seal again`, { kid });
    }
    let last: unknown;
    for (const k of candidates) {
      try {
        return openSealed(box, k.pair, context);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }
}
