import { randomBytes } from 'node:crypto';
import { HangarError, openSealed, seal } from '@hangar/contracts';
import { AesGcmSecretCrypto, keyIdOf } from './aes-gcm.secret-crypto';
import { SecretsCryptoErrors } from './secret-crypto';

function errorOf(fn: () => unknown): HangarError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HangarError);
    return error as HangarError;
  }
  throw new Error('expected an error');
}

describe(AesGcmSecretCrypto.name, () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const ref = { app: 'demo', name: 'DATABASE_URL', version: 3 };
  const value = 'postgres://user:pa55@db/app';

  it('round-trips a value through the data key, and the ciphertext holds no plaintext', () => {
    const sut = new AesGcmSecretCrypto({ current: k1 });
    const { dataKey, stored } = sut.newDataKey('demo');
    const blob = sut.encrypt(dataKey, ref, value);
    expect(blob.includes(Buffer.from(value))).toBe(false);
    expect(stored.keyId).toBe(keyIdOf(k1));
    expect(sut.decrypt(sut.unwrap('demo', stored), ref, blob)).toBe(value);
  });

  it('fails clearly on a tampered ciphertext instead of returning garbage', () => {
    const sut = new AesGcmSecretCrypto({ current: k1 });
    const { dataKey } = sut.newDataKey('demo');
    const blob = sut.encrypt(dataKey, ref, value);
    blob[blob.length - 20] ^= 0x01;
    const error = errorOf(() => sut.decrypt(dataKey, ref, blob));
    expect(error.code).toBe(SecretsCryptoErrors.DECRYPT_FAILED);
    expect(error.message).toBe('cannot decrypt secret DATABASE_URL (version 3) of app demo: the ciphertext was tampered with or belongs elsewhere');
  });

  it('fails on a ciphertext moved to another name, version or app (the associated data binds them)', () => {
    const sut = new AesGcmSecretCrypto({ current: k1 });
    const { dataKey } = sut.newDataKey('demo');
    const blob = sut.encrypt(dataKey, ref, value);
    expect(errorOf(() => sut.decrypt(dataKey, { ...ref, name: 'OTHER' }, blob)).code).toBe(SecretsCryptoErrors.DECRYPT_FAILED);
    expect(errorOf(() => sut.decrypt(dataKey, { ...ref, version: 4 }, blob)).code).toBe(SecretsCryptoErrors.DECRYPT_FAILED);
    expect(errorOf(() => sut.decrypt({ app: 'other', key: dataKey.key }, { ...ref, app: 'other' }, blob)).code).toBe(SecretsCryptoErrors.DECRYPT_FAILED);
  });

  it('re-wraps a data key under the new key during a rotation, and every value still decrypts', () => {
    const before = new AesGcmSecretCrypto({ current: k1 });
    const { dataKey, stored } = before.newDataKey('demo');
    const blob = before.encrypt(dataKey, ref, value);
    const during = new AesGcmSecretCrypto({ current: k2, previous: k1 });
    expect(during.knownKeyIds).toEqual([keyIdOf(k2), keyIdOf(k1)]);
    expect(during.decrypt(during.unwrap('demo', stored), ref, blob)).toBe(value);
    const rewrapped = during.rewrap('demo', stored);
    expect(rewrapped.keyId).toBe(keyIdOf(k2));
    const after = new AesGcmSecretCrypto({ current: k2 });
    expect(after.decrypt(after.unwrap('demo', rewrapped), ref, blob)).toBe(value);
  });

  it('fails clearly with a key it does not hold, and with a wrapped key that is wrong for its id', () => {
    const { stored } = new AesGcmSecretCrypto({ current: k1 }).newDataKey('demo');
    const unknown = errorOf(() => new AesGcmSecretCrypto({ current: k2 }).unwrap('demo', stored));
    expect(unknown.code).toBe(SecretsCryptoErrors.KEY_UNAVAILABLE);
    expect(unknown.message).toContain('HANGAR_SECRETS_KEY_PREVIOUS');
    const wrong = errorOf(() => new AesGcmSecretCrypto({ current: k2 }).unwrap('demo', { ...stored, keyId: keyIdOf(k2) }));
    expect(wrong.code).toBe(SecretsCryptoErrors.DECRYPT_FAILED);
    expect(errorOf(() => new AesGcmSecretCrypto({ current: k1 }).unwrap('other', stored)).code).toBe(SecretsCryptoErrors.DECRYPT_FAILED);
  });

  it('digests a value with a key of its app, stable across KEK rotations: nothing a listing shows can be brute-forced without the key', () => {
    const sut = new AesGcmSecretCrypto({ current: k1 });
    const { dataKey, stored } = sut.newDataKey('demo');
    const other = sut.newDataKey('demo').dataKey;
    const digest = sut.digest(dataKey, '1234');
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    expect(digest).not.toBe(sut.legacyDigest('1234'));
    expect(sut.legacyDigest('hello')).toBe('2cf24dba5fb0a30e');
    expect(sut.digest(dataKey, '1234')).toBe(digest);
    expect(sut.digest(dataKey, '1235')).not.toBe(digest);
    expect(sut.digest(other, '1234')).not.toBe(digest);
    const rotated = new AesGcmSecretCrypto({ current: k2, previous: k1 });
    expect(rotated.digest(rotated.unwrap('demo', rotated.rewrap('demo', stored)), '1234')).toBe(digest);
  });

  it('derives the same transport key on every replica with the same key, and opens boxes for the previous one', () => {
    const a = new AesGcmSecretCrypto({ current: k1 });
    const b = new AesGcmSecretCrypto({ current: k1 });
    expect(a.transportKeys[0]!.pair.publicKey).toBe(b.transportKeys[0]!.pair.publicKey);
    const box = seal('{"A":"x"}', a.transportKeys[0]!.pair.publicKey, 'ctx', a.transportKeys[0]!.kid);
    const rotated = new AesGcmSecretCrypto({ current: k2, previous: k1 });
    const previous = rotated.transportKeys.find((k) => k.kid === box.kid)!;
    expect(openSealed(box, previous.pair, 'ctx')).toBe('{"A":"x"}');
  });
});
