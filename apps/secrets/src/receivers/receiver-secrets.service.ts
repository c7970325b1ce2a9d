import { Inject, Injectable } from '@nestjs/common';
import { HangarError, RECEIVER_SECRET_STORE_CONTEXT, receiverSecretContext, receiverSecretProblem, seal, type SealedBox } from '@hangar/contracts';
import { EVENT_STORE, sqlFilesIn, type EventStore, type Tx } from '@hangar/event-store';
import { SecretsCryptoErrors, type SecretCrypto, type WrappedDataKey } from '../crypto/secret-crypto';
import { SECRET_CRYPTO } from '../secrets.tokens';
import { SecretValues } from '../secrets/secret-values.service';

const sql = sqlFilesIn(__dirname);
const SQL = {
  upsert: sql('upsert-receiver-secret'),
  select: sql('select-receiver-secret'),
  delete: sql('delete-receiver-secret'),
  lockStale: sql('lock-stale-receiver-keys'),
  rewrap: sql('rewrap-receiver-key'),
};

export const ReceiverSecretErrors = {
  NOT_FOUND: 'SECRETS.RECEIVER_SECRET_NOT_FOUND',
  INVALID: 'REQUEST.INVALID',
} as const;

/**
 * Registry receivers' secrets (issue 6), kept like app secrets (DESIGN G5): encrypted under a data key
 * of their own wrapped by `HANGAR_SECRETS_KEY`, arriving sealed to this service's transport key and
 * leaving only sealed to the requester's one-off key.
 */
@Injectable()
export class ReceiverSecrets {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SECRET_CRYPTO) private readonly crypto: SecretCrypto,
    private readonly values: SecretValues,
  ) {}

  async keep(receiverId: string, sealedSecret: unknown): Promise<void> {
    const secret = this.values.open(sealedSecret, RECEIVER_SECRET_STORE_CONTEXT);
    const problem = receiverSecretProblem(secret);
    if (problem) throw new HangarError(ReceiverSecretErrors.INVALID, problem, [{ path: 'secret', message: problem }]);
    const owner = ownerOf(receiverId);
    const { dataKey, stored } = this.crypto.newDataKey(owner);
    try {
      const ciphertext = this.crypto.encrypt(dataKey, refOf(receiverId), secret);
      await this.store.transaction((tx) => tx.query(SQL.upsert, [receiverId, stored.wrapped, stored.keyId, ciphertext]).then(() => undefined));
    } finally {
      dataKey.key.fill(0);
    }
  }

  /** The secret sealed to `recipientPublicKey` (context `receiverSecretContext(receiverId)`). */
  async sealedFor(receiverId: string, recipientPublicKey: string): Promise<SealedBox> {
    const rows = await this.store.transaction((tx) => tx.query<{ wrapped_key: Buffer; key_id: string; ciphertext: Buffer }>(SQL.select, [receiverId]));
    const row = rows[0];
    if (!row) throw new HangarError(ReceiverSecretErrors.NOT_FOUND, `receiver ${receiverId} has no secret`, { receiverId });
    const dataKey = this.crypto.unwrap(ownerOf(receiverId), { wrapped: row.wrapped_key, keyId: row.key_id });
    try {
      return seal(this.crypto.decrypt(dataKey, refOf(receiverId), row.ciphertext), recipientPublicKey, receiverSecretContext(receiverId));
    } finally {
      dataKey.key.fill(0);
    }
  }

  async delete(receiverId: string): Promise<void> {
    await this.store.transaction((tx) => tx.query(SQL.delete, [receiverId]).then(() => undefined));
  }

  /** Re-wraps every receiver data key not under the current key (inside the rotation's transaction). */
  async rotate(tx: Tx): Promise<number> {
    const rows = await tx.query<{ receiver_id: string; wrapped_key: Buffer; key_id: string }>(SQL.lockStale, [this.crypto.currentKeyId]);
    const unknown = rows.filter((r) => !this.crypto.knownKeyIds.includes(r.key_id));
    if (unknown.length > 0) {
      throw new HangarError(SecretsCryptoErrors.KEY_UNAVAILABLE, `the secrets of ${unknown.length} receiver(s) are wrapped by a key this service does not hold: set HANGAR_SECRETS_KEY_PREVIOUS to it and run rotate-key again`, {
        receivers: unknown.map((r) => r.receiver_id),
      });
    }
    for (const row of rows) {
      const stored: WrappedDataKey = this.crypto.rewrap(ownerOf(row.receiver_id), { wrapped: row.wrapped_key, keyId: row.key_id });
      await tx.query(SQL.rewrap, [row.receiver_id, stored.wrapped, stored.keyId, row.key_id]);
    }
    return rows.length;
  }
}

/** The data key's owner as the crypto binds it: never an app name (those have no `:`). */
function ownerOf(receiverId: string): string {
  return `receiver:${receiverId}`;
}

function refOf(receiverId: string) {
  return { app: ownerOf(receiverId), name: 'secret', version: 1 };
}
