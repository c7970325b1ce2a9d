import { createHash } from 'node:crypto';
import { HangarError } from '@hangar/contracts';
import { ImageErrorCodes } from './domain/image-errors';
import { manifestReference, parseImageReference, digestProblem, type ImageReference } from './domain/image-reference';
import { parseWwwAuthenticate, type AuthChallenge } from './domain/www-authenticate';

/** Every manifest shape we can deploy: multi-arch indexes first, so the digest is the one users see. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const DEFAULT_TIMEOUT_MS = 15_000;
const PLAIN_HTTP_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

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

/**
 * Resolves image references to manifest digests over the OCI distribution API, with docker's
 * anonymous bearer-token flow and basic auth. Every failure is a `HangarError` with an `IMAGE.*` code
 * and a message naming the reference, fit to be a release's failure reason.
 */
export class RegistryClient {
  constructor(private readonly options: RegistryClientOptions = {}) {}

  async resolve(ref: string, options: ResolveOptions = {}): Promise<ResolvedManifest> {
    const image = parseImageReference(ref);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const attempt: Attempt = {
      ref,
      image,
      baseUrl: this.baseUrlFor(image),
      credentials: options.credentials?.[image.registry] ?? options.credentials?.[image.host],
      signal: AbortSignal.timeout(timeoutMs),
      timeoutMs,
    };
    const url = `${attempt.baseUrl}/v2/${image.repository}/manifests/${manifestReference(image)}`;

    let response = await this.send(attempt, 'HEAD', url);
    if (response.status === 401) {
      attempt.authorization = await this.authorize(attempt, response);
      response = await this.send(attempt, 'HEAD', url);
    }
    if (!response.ok) throw this.statusError(attempt, response.status);
    // A pinned digest is content-addressed: the registry having it is all there is to verify.
    const digest = image.digest ?? (await this.digestOf(attempt, url, response));
    return { digest, canonicalRef: image.canonical };
  }

  /** Where the distribution API of `image`'s registry is spoken to: its mirror when one is configured. */
  private baseUrlFor(image: ImageReference): string {
    const host = this.options.mirrors?.[image.registry] ?? image.host;
    return `${this.schemeFor(host)}://${host}`;
  }

  private schemeFor(host: string): 'http' | 'https' {
    const insecure = this.options.insecureRegistries ?? [];
    const hostname = host.replace(/:\d+$/, '');
    return PLAIN_HTTP_HOSTS.has(hostname) || insecure.includes(host) || insecure.includes(hostname) ? 'http' : 'https';
  }

  /** `Docker-Content-Digest` when the registry sends it; otherwise the sha256 of the manifest bytes. */
  private async digestOf(attempt: Attempt, url: string, head: Response): Promise<string> {
    const header = head.headers.get('docker-content-digest');
    if (header !== null && digestProblem(header) === undefined) return header;
    const response = await this.send(attempt, 'GET', url);
    const body = await this.readBody(attempt, response, attempt.image.host);
    if (!response.ok) throw this.statusError(attempt, response.status);
    return `sha256:${createHash('sha256').update(body).digest('hex')}`;
  }

  private async authorize(attempt: Attempt, response: Response): Promise<string> {
    const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) return `Bearer ${await this.fetchToken(attempt, bearer)}`;
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (attempt.credentials) return basicAuthorization(attempt.credentials);
      throw this.unauthorized(attempt, `${attempt.image.registry} requires credentials and none are configured`);
    }
    throw this.unauthorized(attempt, `${attempt.image.host} answered 401 without a bearer or basic challenge`);
  }

  /** The token flow of the distribution spec: anonymous, or with basic credentials when we have them. */
  private async fetchToken(attempt: Attempt, challenge: AuthChallenge): Promise<string> {
    const { image } = attempt;
    let url: URL;
    try {
      url = new URL(challenge.params['realm'] ?? '');
    } catch {
      throw this.registryError(attempt, `bearer challenge has no usable realm (${JSON.stringify(challenge.params['realm'] ?? '')})`);
    }
    const service = challenge.params['service'];
    if (service !== undefined) url.searchParams.set('service', service);
    url.searchParams.set('scope', challenge.params['scope'] ?? `repository:${image.repository}:pull`);

    const headers: Record<string, string> = { accept: 'application/json' };
    if (attempt.credentials) headers['authorization'] = basicAuthorization(attempt.credentials);
    const response = await this.fetchOrUnreachable(attempt, url.toString(), { method: 'GET', headers }, url.host);
    const body = await this.readBody(attempt, response, url.host);
    if (response.status === 401 || response.status === 403) {
      throw this.unauthorized(attempt, `token endpoint ${url.host} refused ${attempt.credentials ? 'the credentials' : 'anonymous access'}`);
    }
    if (!response.ok) throw this.registryError(attempt, `token endpoint ${url.host} answered HTTP ${response.status}`, response.status);
    const token = parseToken(body);
    if (!token) throw this.registryError(attempt, `token endpoint ${url.host} returned no token`);
    return token;
  }

  private send(attempt: Attempt, method: 'HEAD' | 'GET', url: string): Promise<Response> {
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT };
    if (attempt.authorization) headers['authorization'] = attempt.authorization;
    return this.fetchOrUnreachable(attempt, url, { method, headers }, attempt.image.host);
  }

  private async fetchOrUnreachable(attempt: Attempt, url: string, init: RequestInit, host: string): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: attempt.signal, redirect: 'follow' });
    } catch (error) {
      throw this.unreachable(attempt, host, error);
    }
  }

  private async readBody(attempt: Attempt, response: Response, host: string): Promise<Buffer> {
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw this.unreachable(attempt, host, error);
    }
  }

  private statusError(attempt: Attempt, status: number): HangarError {
    const { image, ref } = attempt;
    if (status === 404) {
      const what = image.digest ? `digest '${image.digest}'` : `tag '${image.tag ?? 'latest'}'`;
      return new HangarError(
        ImageErrorCodes.NOT_FOUND,
        `image '${ref}' not found: manifest unknown for ${what} in ${image.host}/${image.repository}`,
        this.details(attempt, { status }),
      );
    }
    if (status === 401 || status === 403) {
      // Docker Hub answers 401, not 404, for a repository that does not exist.
      return this.unauthorized(attempt, `${image.host} denied access to ${image.repository} (HTTP ${status}; it may not exist or need credentials)`);
    }
    return this.registryError(attempt, `${image.host} answered HTTP ${status}`, status);
  }

  private unauthorized(attempt: Attempt, reason: string): HangarError {
    return new HangarError(ImageErrorCodes.UNAUTHORIZED, `image '${attempt.ref}' unauthorized: ${reason}`, this.details(attempt, { reason }));
  }

  private registryError(attempt: Attempt, reason: string, status?: number): HangarError {
    return new HangarError(
      ImageErrorCodes.REGISTRY_ERROR,
      `image '${attempt.ref}' could not be resolved: ${reason}`,
      this.details(attempt, status === undefined ? { reason } : { reason, status }),
    );
  }

  private unreachable(attempt: Attempt, host: string, error: unknown): HangarError {
    const cause = describeNetworkError(error, attempt.timeoutMs);
    return new HangarError(
      ImageErrorCodes.REGISTRY_UNREACHABLE,
      `image '${attempt.ref}' could not be resolved: registry ${host} is unreachable: ${cause}`,
      this.details(attempt, { host, cause }),
      { cause: error },
    );
  }

  private details(attempt: Attempt, extra: Record<string, unknown>): Record<string, unknown> {
    const { image } = attempt;
    return { ref: attempt.ref, registry: image.host, repository: image.repository, reference: manifestReference(image), ...extra };
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
function describeNetworkError(error: unknown, timeoutMs: number): string {
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
