import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { HangarError } from './errors';

/**
 * The wire format of secret values between Hangar services (DESIGN G5): anything subscribed to the
 * bus sees only ciphertext. X25519 with a fresh ephemeral key per box, HKDF-SHA256, AES-256-GCM; the
 * `context` (e.g. `set:<app>`) is bound as associated data, so a box cannot be replayed elsewhere.
 */
export interface SealedBox {
  v: 1;
  /** Id of the recipient key the box is sealed to, when the recipient has several. */
  kid?: string;
  /** The sender's ephemeral X25519 public key, base64 (32 bytes). */
  epk: string;
  /** base64, 12 bytes. */
  iv: string;
  /** base64: ciphertext followed by the 16-byte GCM tag. */
  ct: string;
}

/** An X25519 key pair; `publicKey` is the raw 32-byte key in base64, as it travels. */
export interface SealingKeyPair {
  publicKey: string;
  privateKey: KeyObject;
}

export const SEALED_BOX_INVALID = 'SECRETS.SEALED_BOX_INVALID';

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** A fresh random key pair (a recipient of one reply). */
export function createSealingKeyPair(): SealingKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublicKey(publicKey) };
}

/** The key pair whose private key is `seed` (32 bytes): the same seed gives the same pair on every replica. */
export function sealingKeyPairFromSeed(seed: Buffer): SealingKeyPair {
  if (seed.length !== 32) throw new Error('an X25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/** Encrypts `plaintext` so that only the holder of `recipientPublicKey`'s private key can read it. */
export function seal(plaintext: string, recipientPublicKey: string, context: string, kid?: string): SealedBox {
  const recipient = publicKeyOf(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const epk = rawPublicKey(ephemeral.publicKey);
  const key = boxKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), epk, recipientPublicKey, context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, ...(kid ? { kid } : {}), epk, iv: iv.toString('base64'), ct: ct.toString('base64') };
}

/** Decrypts a box sealed to `keys`; throws `SECRETS.SEALED_BOX_INVALID` (never garbage) otherwise. */
export function openSealed(box: unknown, keys: SealingKeyPair, context: string): string {
  if (!isSealedBox(box)) throw new HangarError(SEALED_BOX_INVALID, 'sealed box is malformed: expected { v: 1, epk, iv, ct }');
  try {
    const shared = diffieHellman({ privateKey: keys.privateKey, publicKey: publicKeyOf(box.epk) });
    const key = boxKey(shared, box.epk, keys.publicKey, context);
    const data = Buffer.from(box.ct, 'base64');
    if (data.length < 16) throw new Error('too short');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new HangarError(SEALED_BOX_INVALID, `sealed box cannot be opened for ${context}: wrong recipient key, wrong context or tampered`, undefined, { cause: error });
  }
}

export function isSealedBox(value: unknown): value is SealedBox {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Partial<SealedBox>;
  return b.v === 1 && typeof b.epk === 'string' && typeof b.iv === 'string' && typeof b.ct === 'string' && (b.kid === undefined || typeof b.kid === 'string');
}

function boxKey(shared: Buffer, epk: string, recipient: string, context: string): Buffer {
  const salt = Buffer.concat([Buffer.from(epk, 'base64'), Buffer.from(recipient, 'base64')]);
  return Buffer.from(hkdfSync('sha256', shared, salt, `hangar-sealed-box-v1:${context}`, 32));
}

function rawPublicKey(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519_PREFIX.length).toString('base64');
}

function publicKeyOf(raw: string): KeyObject {
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 32) throw new HangarError(SEALED_BOX_INVALID, 'an X25519 public key is 32 bytes, base64-encoded');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, bytes]), format: 'der', type: 'spki' });
}
