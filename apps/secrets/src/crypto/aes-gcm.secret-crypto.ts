import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { HangarError, sealingKeyPairFromSeed } from '@hangar/contracts';
import { SecretsCryptoErrors, type DataKey, type SecretCrypto, type SecretValueRef, type TransportKey, type WrappedDataKey } from './secret-crypto';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** The key-encryption keys: `HANGAR_SECRETS_KEY` and, during a rotation, `HANGAR_SECRETS_KEY_PREVIOUS`. */
export interface KeyEncryptionKeys {
  current: Buffer;
  previous?: Buffer;
}

/** Id of a KEK: 16 hex chars of sha256 over a label and the key (a fingerprint, not the key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('hangar-kek-id-v1\0').update(key).digest('hex').slice(0, 16);
}

/**
 * {@link SecretCrypto} with node:crypto AES-256-GCM. Blobs are `01 | iv(12) | ciphertext | tag(16)`;
 * the associated data binds a data key to its app and a value to its app, name and version.
 */
export class AesGcmSecretCrypto implements SecretCrypto {
  readonly currentKeyId: string;
  readonly knownKeyIds: readonly string[];
  readonly transportKeys: readonly TransportKey[];
  private readonly keks: ReadonlyMap<string, Buffer>;

  constructor(keys: KeyEncryptionKeys) {
    for (const k of [keys.current, keys.previous]) if (k && k.length !== KEY_BYTES) throw new Error('a key-encryption key is 32 bytes');
    this.currentKeyId = keyIdOf(keys.current);
    const entries: [string, Buffer][] = [[this.currentKeyId, keys.current]];
    if (keys.previous && keyIdOf(keys.previous) !== this.currentKeyId) entries.push([keyIdOf(keys.previous), keys.previous]);
    this.keks = new Map(entries);
    this.knownKeyIds = entries.map(([id]) => id);
    this.transportKeys = entries.map(([kid, kek]) => ({
      kid,
      pair: sealingKeyPairFromSeed(Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'hangar-secrets-transport-v1', KEY_BYTES))),
    }));
  }

  newDataKey(app: string): { dataKey: DataKey; stored: WrappedDataKey } {
    const dataKey = { app, key: randomBytes(KEY_BYTES) };
    return { dataKey, stored: this.wrap(dataKey) };
  }

  unwrap(app: string, stored: WrappedDataKey): DataKey {
    const kek = this.keks.get(stored.keyId);
    if (!kek) {
      throw new HangarError(
        SecretsCryptoErrors.KEY_UNAVAILABLE,
        `the data key of app ${app} is wrapped by key ${stored.keyId}, which is neither HANGAR_SECRETS_KEY (${this.currentKeyId}) nor HANGAR_SECRETS_KEY_PREVIOUS`,
        { app, keyId: stored.keyId },
      );
    }
    const key = open(kek, dataKeyAad(app), stored.wrapped, () => `cannot unwrap the data key of app ${app} with key ${stored.keyId}: wrong key or tampered row`, { app });
    if (key.length !== KEY_BYTES) throw decryptFailed(`the data key of app ${app} has the wrong length`, { app });
    return { app, key };
  }

  rewrap(app: string, stored: WrappedDataKey): WrappedDataKey {
    const dataKey = this.unwrap(app, stored);
    try {
      return this.wrap(dataKey);
    } finally {
      dataKey.key.fill(0);
    }
  }

  encrypt(dataKey: DataKey, ref: SecretValueRef, value: string): Buffer {
    this.requireSameApp(dataKey, ref);
    return close(dataKey.key, valueAad(ref), Buffer.from(value, 'utf8'));
  }

  decrypt(dataKey: DataKey, ref: SecretValueRef, ciphertext: Buffer): string {
    this.requireSameApp(dataKey, ref);
    const plain = open(dataKey.key, valueAad(ref), ciphertext, () => `cannot decrypt secret ${ref.name} (version ${ref.version}) of app ${ref.app}: the ciphertext was tampered with or belongs elsewhere`, {
      app: ref.app,
      name: ref.name,
      version: ref.version,
    });
    return plain.toString('utf8');
  }

  digest(dataKey: DataKey, value: string): string {
    const key = Buffer.from(hkdfSync('sha256', dataKey.key, Buffer.alloc(0), 'hangar-secret-digest-v1', KEY_BYTES));
    try {
      return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16);
    } finally {
      key.fill(0);
    }
  }

  legacyDigest(value: string): string {
    return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
  }

  private wrap(dataKey: DataKey): WrappedDataKey {
    return { wrapped: close(this.keks.get(this.currentKeyId)!, dataKeyAad(dataKey.app), dataKey.key), keyId: this.currentKeyId };
  }

  private requireSameApp(dataKey: DataKey, ref: SecretValueRef): void {
    if (dataKey.app !== ref.app) throw decryptFailed(`data key of app ${dataKey.app} used for app ${ref.app}`, { app: ref.app });
  }
}

function dataKeyAad(app: string): Buffer {
  return Buffer.from(`hangar-data-key-v1\0${app}`, 'utf8');
}

function valueAad(ref: SecretValueRef): Buffer {
  return Buffer.from(`hangar-secret-v1\0${ref.app}\0${ref.name}\0${ref.version}`, 'utf8');
}

function close(key: Buffer, aad: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, aad: Buffer, blob: Buffer, describe: () => string, details: Record<string, unknown>): Buffer {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT) throw decryptFailed(`${describe()} (malformed blob)`, details);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw decryptFailed(describe(), details, error);
  }
}

function decryptFailed(message: string, details: Record<string, unknown>, cause?: unknown): HangarError {
  return new HangarError(SecretsCryptoErrors.DECRYPT_FAILED, message, details, cause === undefined ? undefined : { cause });
}
