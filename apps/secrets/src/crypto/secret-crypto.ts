import type { SealingKeyPair } from '@hangar/contracts';

/** What a value's ciphertext is bound to: moving a row to another app, name or version fails to decrypt. */
export interface SecretValueRef {
  app: string;
  name: string;
  /** The secrets version in which this value was set. */
  version: number;
}

/** A per-app data key as stored: wrapped (AES-256-GCM) by the key-encryption key `keyId`. */
export interface WrappedDataKey {
  wrapped: Buffer;
  keyId: string;
}

/** An unwrapped data key; lives in memory only for one operation. */
export interface DataKey {
  readonly app: string;
  readonly key: Buffer;
}

/**
 * The crypto port of the secrets service (STYLE.md "Side effects behind small ports"): envelope
 * encryption with a per-app data key wrapped by the key-encryption key (KEK) from
 * `HANGAR_SECRETS_KEY`. Every failure to decrypt is a `SECRETS.DECRYPT_FAILED` error, never garbage.
 */
export interface SecretCrypto {
  /** Id of the current KEK (16 hex chars; derived, reveals nothing about the key). */
  readonly currentKeyId: string;
  /** Ids of every KEK this process can unwrap with (current, then previous). */
  readonly knownKeyIds: readonly string[];
  /** A fresh random data key for `app`, and its wrapped form under the current KEK. */
  newDataKey(app: string): { dataKey: DataKey; stored: WrappedDataKey };
  unwrap(app: string, stored: WrappedDataKey): DataKey;
  /** The same data key wrapped by the current KEK (from the previous one). Values stay as they are. */
  rewrap(app: string, stored: WrappedDataKey): WrappedDataKey;
  encrypt(dataKey: DataKey, ref: SecretValueRef, value: string): Buffer;
  decrypt(dataKey: DataKey, ref: SecretValueRef, ciphertext: Buffer): string;
  /**
   * What events and `secrets list` show of a value: the first 16 hex chars of HMAC-SHA256 under a key
   * derived from the app's data key, so equal values of one app compare equal while a listing reveals
   * nothing that could be brute-forced offline (a PIN, a port). Stable across KEK rotations.
   */
  digest(dataKey: DataKey, value: string): string;
  /** The unkeyed digest versions recorded before keyed digests (sha256, 16 hex chars): still accepted when checking a stored value. */
  legacyDigest(value: string): string;
  /**
   * X25519 key pairs derived from the KEKs (current first): senders seal values to the current one's
   * public key; a box sealed to the previous one still opens while a rotation rolls out.
   */
  readonly transportKeys: readonly TransportKey[];
}

/** A transport key pair and its id (the id of the KEK it is derived from). */
export interface TransportKey {
  kid: string;
  pair: SealingKeyPair;
}

export const SecretsCryptoErrors = {
  DECRYPT_FAILED: 'SECRETS.DECRYPT_FAILED',
  KEY_UNAVAILABLE: 'SECRETS.KEY_UNAVAILABLE',
} as const;
