import { randomInt } from 'node:crypto';

const ADJECTIVES = ['dry', 'quiet', 'bold', 'calm', 'dark', 'empty', 'fancy', 'green', 'late', 'misty', 'old', 'proud', 'small', 'wild', 'young', 'sweet', 'cool', 'red', 'snowy', 'still'];
const NOUNS = ['pond', 'river', 'forest', 'meadow', 'field', 'cloud', 'wave', 'hill', 'sun', 'moon', 'bird', 'leaf', 'frost', 'dust', 'sea', 'star', 'smoke', 'brook', 'flower', 'glade'];

/** A name like `dry-pond-1475`, as flyctl generates for `apps create` without a name. */
export function generateAppName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000, 10000)}`;
}
