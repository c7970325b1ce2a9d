import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiTokenStore, Principal } from './api-token.store';

/** The principal of the admin token (`HANGAR_ADMIN_TOKEN`), which is also the services' credential. */
export const ADMIN_PRINCIPAL: Principal = { name: 'admin', scopes: ['admin'] };

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Turns a presented secret into a principal: the admin token (compared in constant time) or a live
 * API token. One rule for HTTP and NATS.
 */
export class CredentialVerifier {
  constructor(
    private readonly adminToken: string,
    private readonly tokens?: Pick<ApiTokenStore, 'authenticate'>,
  ) {}

  async verify(secret: string): Promise<Principal | undefined> {
    if (timingSafeEqual(digest(secret), digest(this.adminToken))) return ADMIN_PRINCIPAL;
    return this.tokens?.authenticate(secret);
  }

  /** True when `principal` is the admin token's, i.e. a Hangar service or the operator. */
  static isAdmin(principal: Principal): boolean {
    return principal.name === ADMIN_PRINCIPAL.name; // API tokens may not be named `admin`
  }
}

/** The secret of an `Authorization: Bearer <secret>` header value, or `undefined`. */
export function bearerSecret(header: string | undefined | null): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
