/** Token prefixes fly-go's `tokens.Parse` files as macaroons (`fm1r_`, `fm1a_`, `fm2_`). */
const MACAROON_PREFIXES: ReadonlySet<string> = new Set(['fm1r', 'fm1a', 'fm2']);

/**
 * The `Authorization` header value for a Machines API token, as fly-go's `Tokens.FlapsHeader()`
 * builds it (fly-go `tokens/tokens.go` `Parse`, `StripAuthorizationScheme`, `normalized`): any
 * `Bearer`/`FlyV1` scheme given with the token is dropped, the value is split on commas, and when it
 * holds macaroons (deploy/org tokens, `FlyV1 fm2_…`) only those are sent, as `FlyV1 <m1>,<m2>`;
 * otherwise the tokens (a personal access token, fleet's token) are sent as `Bearer <t>`.
 */
export function authorizationHeader(token: string): string {
  const parts = stripScheme(token)
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const macaroons = parts.filter((t) => MACAROON_PREFIXES.has(t.split('_', 1)[0]));
  if (macaroons.length > 0) return `FlyV1 ${macaroons.join(',')}`;
  return `Bearer ${parts.join(',')}`;
}

function stripScheme(token: string): string {
  const trimmed = token.trim();
  const space = trimmed.indexOf(' ');
  if (space === -1) return trimmed;
  const scheme = trimmed.slice(0, space).toLowerCase();
  return scheme === 'bearer' || scheme === 'flyv1' ? stripScheme(trimmed.slice(space + 1)) : trimmed;
}
