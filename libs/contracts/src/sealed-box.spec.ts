import { randomBytes } from 'node:crypto';
import { HangarError } from './errors';
import { SEALED_BOX_INVALID, createSealingKeyPair, openSealed, seal, sealingKeyPairFromSeed } from './sealed-box';

const recipient = createSealingKeyPair();

describe('sealed box', () => {
  const secret = 'value-that-must-not-travel-in-clear';

  it('opens for the recipient and context it was sealed to; the box holds no plaintext', () => {
    const recipient = createSealingKeyPair();
    const box = seal(secret, recipient.publicKey, 'secrets.values:demo:3');
    expect(JSON.stringify(box)).not.toContain(secret);
    expect(JSON.stringify(box)).not.toContain(Buffer.from(secret).toString('base64').slice(4, -4));
    expect(openSealed(box, recipient, 'secrets.values:demo:3')).toBe(secret);
  });

  it.each([
    ['another recipient', (box: ReturnType<typeof seal>) => openSealed(box, createSealingKeyPair(), 'ctx')],
    ['another context', (box: ReturnType<typeof seal>) => openSealed(box, recipient, 'ctx-other')],
    ['a tampered ciphertext', (box: ReturnType<typeof seal>) => openSealed({ ...box, ct: flip(box.ct) }, recipient, 'ctx')],
    ['a malformed box', () => openSealed({ v: 2 }, recipient, 'ctx')],
  ])('refuses %s with a clear error', (_what, open) => {
    const box = seal(secret, recipient.publicKey, 'ctx');
    let caught: unknown;
    try {
      open(box);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HangarError);
    expect((caught as HangarError).code).toBe(SEALED_BOX_INVALID);
  });

  it('derives the same key pair from the same seed', () => {
    const seed = randomBytes(32);
    expect(sealingKeyPairFromSeed(seed).publicKey).toBe(sealingKeyPairFromSeed(Buffer.from(seed)).publicKey);
    const box = seal(secret, sealingKeyPairFromSeed(seed).publicKey, 'ctx');
    expect(openSealed(box, sealingKeyPairFromSeed(seed), 'ctx')).toBe(secret);
  });
});

function flip(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] ^= 1;
  return bytes.toString('base64');
}
