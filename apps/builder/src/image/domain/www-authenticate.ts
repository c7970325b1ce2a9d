/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"`. */
export interface AuthChallenge {
  /** Lower-cased: `bearer`, `basic`. */
  readonly scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;

/**
 * Parses a `WWW-Authenticate` header (RFC 9110 §11.6.1) into its challenges. `Headers.get` joins
 * repeated headers with `, `, so one string may hold several challenges; quoted values may contain
 * commas (`scope="repository:a:pull,push"`). Unparseable input yields the challenges read so far.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < header.length && chars.test(header[i] ?? '')) i += 1;
  };
  const readToken = (): string | undefined => {
    TOKEN.lastIndex = i;
    const match = TOKEN.exec(header);
    if (!match) return undefined;
    i += match[0].length;
    return match[0];
  };
  const readQuoted = (): string => {
    let value = '';
    i += 1;
    while (i < header.length && header[i] !== '"') {
      if (header[i] === '\\') i += 1;
      value += header[i] ?? '';
      i += 1;
    }
    i += 1;
    return value;
  };

  while (i < header.length) {
    skip(/[\s,]/);
    const token = readToken();
    if (token === undefined) break;
    skip(/\s/);
    const current = challenges[challenges.length - 1];
    if (header[i] === '=' && current !== undefined) {
      i += 1;
      skip(/\s/);
      const value = header[i] === '"' ? readQuoted() : (readToken() ?? '');
      current.params[token.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: token.toLowerCase(), params: {} });
    }
  }
  return challenges;
}
