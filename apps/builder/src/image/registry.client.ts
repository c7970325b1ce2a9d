import { createHash } from 'node:crypto';
import { ImageErrorCodes } from './domain/image-errors';
import { manifestReference, parseImageReference, digestProblem, type ImageReference } from './domain/image-reference';
import { parseWwwAuthenticate, type AuthChallenge } from './domain/www-authenticate';
import { sameOrigin } from './domain/address-policy';
import { refused, registryError, statusError, unauthorized, unreachable } from './image-failures';
import { discard, displayUrl, MANIFEST_MAX_BYTES, readCapped, RegistryGuard, TOKEN_MAX_BYTES, type HostResolver } from './registry-guard';

/** Every manifest shape we can deploy: multi-arch indexes first, so the digest is the one users see. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const DEFAULT_TIMEOUT_MS = 15_000;
const PLAIN_HTTP_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Same-origin redirects followed per request; a redirect to another origin is never followed. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface RegistryClientOptions {
  /** Registries (`host` or `host:port`) spoken to over plain http; localhost and 127.0.0.1 always are. */
  readonly insecureRegistries?: readonly string[];
  /** Default deadline for one whole resolve (every request, token fetch included), in ms. Default 15000. */
  readonly timeoutMs?: number;
  /**
   * Registries (as written in references: `docker.io`, `quay.io`) whose manifests are read from another
   * `host[:port]` instead, a pull-through cache or mirror. References and digests keep the original name.
   */
  readonly mirrors?: Readonly<Record<string, string>>;
  /**
   * Whether loopback addresses (127.0.0.0/8, ::1) may be contacted without being listed in
   * `allowPrivate`. Default false; the builder config sets it outside production (see `BuilderConfig`).
   */
  readonly allowLoopback?: boolean;
  /**
   * `host[:port]` entries (`HANGAR_REGISTRY_ALLOW_PRIVATE`) that may resolve to private, link-local,
   * loopback or metadata addresses. Configured mirror hosts are allowed as if listed: the operator named them.
   */
  readonly allowPrivate?: readonly string[];
  /** Resolves host names for the address rules; `node:dns` lookup by default. */
  readonly resolver?: HostResolver;
}

export interface ResolveOptions {
  /** Credentials keyed by registry as written in references (`ghcr.io`, `docker.io`, `127.0.0.1:5000`). */
  readonly credentials?: Readonly<Record<string, RegistryCredentials>>;
  /** Overrides the client's deadline for this resolve, in ms. */
  readonly timeoutMs?: number;
}

export interface ResolvedManifest {
  readonly digest: string;
  readonly canonicalRef: string;
}

/** What one resolve carries from request to request. */
interface Attempt {
  readonly ref: string;
  readonly image: ImageReference;
  readonly baseUrl: string;
  readonly credentials: RegistryCredentials | undefined;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  authorization?: string;
}

type Purpose = 'registry' | 'token endpoint';

/**
 * Resolves image references to manifest digests over the OCI distribution API, with docker's
 * anonymous bearer-token flow and basic auth. Every failure is a `HangarError` with an `IMAGE.*` code
 * and a message naming the reference, fit to be a release's failure reason.
 *
 * What it contacts is bounded (review H3, M5, L8): every host (registry, mirror, realm, redirect
 * target) passes `RegistryGuard`'s address rules before a request; a realm is https unless its host is
 * loopback or listed as insecure; redirects are followed only on the same origin, at most 3; bodies
 * are read with a byte cap (manifests 4 MiB, tokens 64 KiB); credentials configured for a registry go
 * to that registry and its realm only, never to a mirror (which has its own entry, under its host).
 */
export class RegistryClient {
  private readonly guard: RegistryGuard;

  constructor(private readonly options: RegistryClientOptions = {}) {
    const mirrors = Object.values(options.mirrors ?? {});
    this.guard = new RegistryGuard({ allowLoopback: options.allowLoopback ?? false, allowPrivate: [...(options.allowPrivate ?? []), ...mirrors] }, options.resolver);
  }

  async resolve(ref: string, options: ResolveOptions = {}): Promise<ResolvedManifest> {
    const image = parseImageReference(ref);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const attempt: Attempt = {
      ref,
      image,
      baseUrl: this.baseUrlFor(image),
      credentials: this.credentialsFor(image, options.credentials),
      signal: AbortSignal.timeout(timeoutMs),
      timeoutMs,
    };
    const url = `${attempt.baseUrl}/v2/${image.repository}/manifests/${manifestReference(image)}`;

    let response = await this.send(attempt, 'HEAD', url);
    if (response.status === 401) {
      await discard(response);
      attempt.authorization = await this.authorize(attempt, response);
      response = await this.send(attempt, 'HEAD', url);
    }
    await discard(response);
    if (!response.ok) throw statusError(attempt, response.status);
    // A pinned digest is content-addressed: the registry having it is all there is to verify.
    const digest = image.digest ?? (await this.digestOf(attempt, url, response));
    return { digest, canonicalRef: image.canonical };
  }

  /** Where the distribution API of `image`'s registry is spoken to: its mirror when one is configured. */
  private baseUrlFor(image: ImageReference): string {
    const host = this.options.mirrors?.[image.registry] ?? image.host;
    return `${this.schemeFor(host)}://${host}`;
  }

  /**
   * L8: credentials are keyed by the registry they are for. A mirror is another host, so it gets
   * only the entry configured under its own `host[:port]`, never the mirrored registry's.
   */
  private credentialsFor(image: ImageReference, credentials: ResolveOptions['credentials']): RegistryCredentials | undefined {
    const mirror = this.options.mirrors?.[image.registry];
    if (mirror !== undefined) return credentials?.[mirror];
    return credentials?.[image.registry] ?? credentials?.[image.host];
  }

  private schemeFor(host: string): 'http' | 'https' {
    return this.plainHttpAllowed(host) ? 'http' : 'https';
  }

  /** localhost, 127.0.0.1 and [::1] always; other hosts when listed in `HANGAR_INSECURE_REGISTRIES`. */
  private plainHttpAllowed(host: string): boolean {
    const insecure = this.options.insecureRegistries ?? [];
    const hostname = host.replace(/:\d+$/, '');
    return PLAIN_HTTP_HOSTS.has(hostname) || insecure.includes(host) || insecure.includes(hostname);
  }

  /** `Docker-Content-Digest` when the registry sends it; otherwise the sha256 of the manifest bytes. */
  private async digestOf(attempt: Attempt, url: string, head: Response): Promise<string> {
    const header = head.headers.get('docker-content-digest');
    if (header !== null && digestProblem(header) === undefined) return header;
    const response = await this.send(attempt, 'GET', url);
    if (!response.ok) {
      await discard(response);
      throw statusError(attempt, response.status);
    }
    const body = await this.readBody(attempt, response, url, MANIFEST_MAX_BYTES, attempt.image.host);
    return `sha256:${createHash('sha256').update(body).digest('hex')}`;
  }

  private async authorize(attempt: Attempt, response: Response): Promise<string> {
    const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) return `Bearer ${await this.fetchToken(attempt, bearer)}`;
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (attempt.credentials) return basicAuthorization(attempt.credentials);
      throw unauthorized(attempt, `${attempt.image.registry} requires credentials and none are configured`);
    }
    throw unauthorized(attempt, `${attempt.image.host} answered 401 without a bearer or basic challenge`);
  }

  /** The token flow of the distribution spec: anonymous, or with basic credentials when we have them. */
  private async fetchToken(attempt: Attempt, challenge: AuthChallenge): Promise<string> {
    const { image } = attempt;
    let url: URL;
    try {
      url = new URL(challenge.params['realm'] ?? '');
    } catch {
      throw registryError(attempt, `bearer challenge has no usable realm (${JSON.stringify(challenge.params['realm'] ?? '')})`);
    }
    this.checkRealm(attempt, url);
    const service = challenge.params['service'];
    if (service !== undefined) url.searchParams.set('service', service);
    url.searchParams.set('scope', challenge.params['scope'] ?? `repository:${image.repository}:pull`);

    const headers: Record<string, string> = { accept: 'application/json' };
    if (attempt.credentials) headers['authorization'] = basicAuthorization(attempt.credentials);
    const response = await this.fetchOrUnreachable(attempt, url.toString(), { method: 'GET', headers }, 'token endpoint');
    if (!response.ok) await discard(response);
    if (response.status === 401 || response.status === 403) {
      throw unauthorized(attempt, `token endpoint ${url.host} refused ${attempt.credentials ? 'the credentials' : 'anonymous access'}`);
    }
    if (!response.ok) throw registryError(attempt, `token endpoint ${url.host} answered HTTP ${response.status}`, response.status);
    const body = await this.readBody(attempt, response, url.toString(), TOKEN_MAX_BYTES, url.host);
    const token = parseToken(body);
    if (!token) throw registryError(attempt, `token endpoint ${url.host} returned no token`);
    return token;
  }

  /** A realm is fetched over https, or plain http when its host is loopback or listed as insecure (H3). */
  private checkRealm(attempt: Attempt, url: URL): void {
    if (url.protocol === 'https:' || (url.protocol === 'http:' && this.plainHttpAllowed(url.host))) return;
    throw refused(attempt, ImageErrorCodes.REALM_REFUSED, `token realm ${displayUrl(url)} must use https (plain http only for loopback or HANGAR_INSECURE_REGISTRIES)`, { realm: displayUrl(url) });
  }

  private send(attempt: Attempt, method: 'HEAD' | 'GET', url: string): Promise<Response> {
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT };
    if (attempt.authorization) headers['authorization'] = attempt.authorization;
    return this.fetchOrUnreachable(attempt, url, { method, headers }, 'registry');
  }

  /**
   * One request, after the address rules allow its host; same-origin redirects are followed (at most
   * `MAX_REDIRECTS`), a redirect anywhere else fails with `IMAGE.REDIRECT_REFUSED` without contacting it.
   */
  private async fetchOrUnreachable(attempt: Attempt, url: string, init: RequestInit, purpose: Purpose): Promise<Response> {
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const target = new URL(current);
      await this.checkAddress(attempt, target, purpose);
      let response: Response;
      try {
        response = await fetch(current, { ...init, signal: attempt.signal, redirect: 'manual' });
      } catch (error) {
        throw unreachable(attempt, target.host, error);
      }
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await discard(response);
      const next = safeUrl(location, current);
      if (next === undefined || !sameOrigin(current, next) || hop >= MAX_REDIRECTS) {
        const why = next !== undefined && sameOrigin(current, next) ? `more than ${MAX_REDIRECTS} redirects` : `a redirect to another host (${next === undefined ? 'unparseable location' : displayUrl(next)}) is not followed`;
        throw refused(attempt, ImageErrorCodes.REDIRECT_REFUSED, `${purpose} ${displayUrl(current)} answered HTTP ${response.status}: ${why}`, { url: displayUrl(current), status: response.status, ...(next !== undefined ? { location: displayUrl(next) } : {}) });
      }
      current = next;
    }
  }

  private async checkAddress(attempt: Attempt, target: URL, purpose: Purpose): Promise<void> {
    let refusal: string | undefined;
    try {
      refusal = await this.guard.refusal(target);
    } catch (error) {
      throw unreachable(attempt, target.host, error);
    }
    if (refusal === undefined) return;
    throw refused(attempt, ImageErrorCodes.ADDRESS_REFUSED, `${purpose} ${target.host} not contacted: ${refusal}`, { host: target.host, reason: refusal });
  }

  /** The body of `response` from `url`, up to `maxBytes`; past it, `IMAGE.RESPONSE_TOO_LARGE` naming the URL and the cap. */
  private async readBody(attempt: Attempt, response: Response, url: string, maxBytes: number, host: string): Promise<Buffer> {
    let read;
    try {
      read = await readCapped(response, maxBytes);
    } catch (error) {
      throw unreachable(attempt, host, error);
    }
    if ('body' in read) return read.body;
    throw refused(attempt, ImageErrorCodes.RESPONSE_TOO_LARGE, `${displayUrl(url)} answered more than ${maxBytes} bytes (the cap for this response)`, { url: displayUrl(url), maxBytes });
  }
}

function safeUrl(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).toString();
  } catch {
    return undefined;
  }
}

function basicAuthorization({ username, password }: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Registries answer `{ token }` (distribution spec) or `{ access_token }` (OAuth2 style), or both. */
function parseToken(body: Buffer): string | undefined {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json !== 'object' || json === null) return undefined;
    const { token, access_token: accessToken } = json as { token?: unknown; access_token?: unknown };
    if (typeof token === 'string' && token.length > 0) return token;
    return typeof accessToken === 'string' && accessToken.length > 0 ? accessToken : undefined;
  } catch {
    return undefined;
  }
}

