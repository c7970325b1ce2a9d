import { lookup } from 'node:dns/promises';
import { addressRefusal, literalAddress, splitHostPort, type AddressPolicy } from './domain/address-policy';

/** Manifests and indexes are read up to 4 MiB (review M5); a real index is a few KiB. */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
/** Token endpoint answers are read up to 64 KiB (review M5); a real one is a few KiB. */
export const TOKEN_MAX_BYTES = 64 * 1024;

/** The port that turns a host name into every address it has; `dnsHostResolver` in production. */
export interface HostResolver {
  /** Every IPv4 and IPv6 address of `hostname`; rejects with the resolver's error (`ENOTFOUND`, …). */
  lookup(hostname: string): Promise<string[]>;
}

/** `node:dns` `lookup(…, { all: true })`: the addresses `fetch` itself would connect to. */
export const dnsHostResolver: HostResolver = {
  async lookup(hostname) {
    return (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
  },
};

/**
 * Decides whether the builder may contact a host (registry, mirror, token realm or redirect target):
 * resolves it through `resolver` and applies `addressRefusal`. Host names are resolved again by
 * `fetch` when it connects, so a name whose DNS answer changes between the two (rebinding) is not
 * caught here; literal addresses and names with stable answers are.
 */
export class RegistryGuard {
  constructor(
    private readonly policy: AddressPolicy,
    private readonly resolver: HostResolver = dnsHostResolver,
  ) {}

  /** Why `url`'s host must not be contacted, or undefined; rejects when the host cannot be resolved. */
  async refusal(url: URL): Promise<string | undefined> {
    const { hostname } = splitHostPort(url.host);
    const literal = literalAddress(hostname);
    const addresses = literal !== undefined ? [literal] : await this.resolver.lookup(hostname.replace(/\.$/, ''));
    return addressRefusal(url.host, addresses, this.policy);
  }
}

/** What `readCapped` found: the whole body, or that it was longer than the cap (the stream is then cancelled). */
export type CappedBody = { readonly body: Buffer } | { readonly tooLarge: true };

/**
 * Reads `response`'s body counting bytes as they stream in, and stops at `maxBytes`: a declared
 * `Content-Length` over the cap is refused before reading, and a chunked body is cancelled (its
 * connection closed) as soon as it passes the cap, so at most `maxBytes` + one chunk is held.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<CappedBody> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(response);
    return { tooLarge: true };
  }
  if (!response.body) return { body: Buffer.alloc(0) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  return { body: Buffer.concat(chunks) };
}

/** Drops a body we will not read, so its connection is not kept busy streaming it. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** `scheme://host/path` of `url`: what an error may name (no user info, no query). */
export function displayUrl(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.protocol}//${u.host}${u.pathname}`;
}
