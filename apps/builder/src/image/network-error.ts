/** Network failures of `fetch` in words a person can act on (`connection refused`, `TLS handshake failed`). */

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/** Duck-typed: fetch errors may come from another realm (jest's vm), where `instanceof Error` is false. */
function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

const stringOf = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** Turns undici's `fetch failed` into the cause a person can act on. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const outer = asErrorLike(error);
  if (outer?.name === 'TimeoutError' || outer?.name === 'AbortError') return `no answer within ${timeoutMs}ms`;
  const cause = asErrorLike(outer?.cause);
  // Happy-eyeballs connects fail with an AggregateError whose first error carries the code.
  const inner = cause ?? outer;
  const nested = Array.isArray(inner?.errors) ? asErrorLike(inner.errors[0]) : undefined;
  const code = stringOf(inner?.code) ?? stringOf(nested?.code);
  const detail = conciseDetail(stringOf(inner?.message) ?? stringOf(nested?.message));
  const tls = code !== undefined && /CERT|SSL|TLS|EPROTO/.test(code) ? 'TLS handshake failed' : undefined;
  const summary = (code && NETWORK_CODES[code]) ?? tls ?? code?.toLowerCase();
  if (summary && detail && detail !== summary) return `${summary} (${detail})`;
  return summary ?? detail ?? String(error);
}

/** OpenSSL errors are one long `…:error:<code>:SSL routines:<func>:<reason>:<file>:<line>:` line; keep the reason. */
function conciseDetail(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const openssl = /:error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+):/.exec(message);
  const line = (openssl?.[1] ?? message.split('\n')[0] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
