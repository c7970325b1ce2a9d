import { HangarError } from '@hangar/contracts';
import { ImageErrorCodes } from './image-errors';
import { digestProblem } from './image-reference';

/** Lower-case base32 without `i l o u`, so an id reads back unambiguously. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const ID_CHARS = 16;
const BITS_PER_CHAR = 5;
const HEX_CHARS_NEEDED = (ID_CHARS * BITS_PER_CHAR) / 4;

/**
 * The release's image id (`img_` + 16 chars, like flyctl's `img_wd57v5nge95v38o0`), derived from the
 * manifest digest alone, so every service and every retry computes the same id for the same image.
 *
 * The digest's hex is already a cryptographic hash of the manifest, so its first 80 bits are as
 * collision-resistant as re-hashing it would be (and keep this pure: no `node:crypto` in the domain).
 * Throws `IMAGE.INVALID_DIGEST` for anything but `sha256:<64 hex>` / `sha512:<128 hex>`.
 */
export function imageIdFromDigest(digest: string): string {
  const problem = digestProblem(digest);
  if (problem) throw new HangarError(ImageErrorCodes.INVALID_DIGEST, `cannot derive an image id: ${problem}`, { digest });
  const hex = digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 1 + HEX_CHARS_NEEDED);
  const bits = [...hex].map((c) => parseInt(c, 16).toString(2).padStart(4, '0')).join('');
  let id = 'img_';
  for (let i = 0; i < ID_CHARS; i += 1) {
    id += ALPHABET[parseInt(bits.slice(i * BITS_PER_CHAR, (i + 1) * BITS_PER_CHAR), 2)];
  }
  return id;
}
