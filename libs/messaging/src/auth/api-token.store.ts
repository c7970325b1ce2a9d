import { createHash, randomBytes } from 'node:crypto';
import { ErrorCodes, HangarError, parseScope, RESERVED_PRINCIPAL_NAMES, TOKEN_NAME_PATTERN, type Scope } from '@hangar/contracts';
import type { SqlQueryable } from '@hangar/event-store';
import { loadSql } from '../sql-files';

const SQL = {
  insert: loadSql('insert-api-token'),
  list: loadSql('list-api-tokens'),
  revoke: loadSql('revoke-api-token'),
  find: loadSql('find-api-token'),
  findByNatsKey: loadSql('find-api-token-by-nats-key'),
};

/** An nkey user public key, as `hangar nats init` prints it and nats-server reports it. */
export const NATS_KEY_PATTERN = /^U[A-Z2-7]{55}$/;

/** Who is calling: a token's name (recorded as `metadata.actor`) and what it may do. */
export interface Principal {
  name: string;
  scopes: readonly string[];
}

/** An API token as listed: never the secret, never its hash. */
export interface ApiTokenRecord {
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt?: string;
  /** The outside NATS identity (nkey public key) this token acts for, if any. */
  natsKey?: string;
}

interface TokenRow {
  name: string;
  scopes: string[];
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
  nats_key: string | null;
}

/** sha256 hex of a token secret: what the table keeps. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new token secret: `hgr_` + 32 random bytes, base64url. */
export function generateTokenSecret(): string {
  return `hgr_${randomBytes(32).toString('base64url')}`;
}

/**
 * The `api_tokens` table (migration 1764300001000). Name and scopes are validated here, so every
 * writer gets the same rules: `TOKEN.INVALID_NAME`, `TOKEN.INVALID_SCOPE`, `TOKEN.CONFLICT` (name
 * taken, also by a revoked token), `TOKEN.NOT_FOUND`.
 */
export class ApiTokenStore {
  constructor(private readonly db: SqlQueryable) {}

  /** Stores a new token and returns its record and its secret (shown once, never stored). Pass `db` to run inside a transaction. */
  async create(input: { name: string; scopes: readonly string[]; createdBy: string; natsKey?: string }, db: SqlQueryable = this.db): Promise<{ token: ApiTokenRecord; secret: string }> {
    const scopes = validateToken(input.name, input.scopes);
    if (input.natsKey !== undefined && (typeof input.natsKey !== 'string' || !NATS_KEY_PATTERN.test(input.natsKey))) {
      throw new HangarError(ErrorCodes.VALIDATION, `natsKey must be an nkey user public key (U followed by 55 base32 characters, as hangar nats init prints it); got "${String(input.natsKey).slice(0, 80)}"`, [{ path: 'natsKey', message: 'invalid nkey' }]);
    }
    const secret = generateTokenSecret();
    const { rows } = await db.query<TokenRow>(SQL.insert, [input.name, hashToken(secret), scopes, input.createdBy, input.natsKey ?? null]);
    if (rows.length === 0) {
      const bound = input.natsKey ? (await db.query<{ name: string }>(`SELECT name FROM api_tokens WHERE nats_key = $1`, [input.natsKey])).rows[0] : undefined;
      if (bound) throw new HangarError('TOKEN.CONFLICT', `NATS key ${input.natsKey} is already bound to token '${bound.name}' (revoked bindings are not reused)`, { natsKey: input.natsKey });
      throw new HangarError('TOKEN.CONFLICT', `a token named '${input.name}' exists (revoked names are not reused)`, { name: input.name });
    }
    return { token: toRecord(rows[0]!), secret };
  }

  async list(): Promise<ApiTokenRecord[]> {
    return (await this.db.query<TokenRow>(SQL.list)).rows.map(toRecord);
  }

  /** Marks the token revoked (idempotent); returns its record, or throws `TOKEN.NOT_FOUND`. */
  async revoke(name: string, db: SqlQueryable = this.db): Promise<{ token: ApiTokenRecord }> {
    const { rows } = await db.query<TokenRow>(SQL.revoke, [name]);
    if (rows.length === 0) throw new HangarError('TOKEN.NOT_FOUND', `no token named '${name}'`, { name });
    return { token: toRecord(rows[0]!) };
  }

  /** The live token with this secret, if any. */
  async authenticate(secret: string): Promise<Principal | undefined> {
    const { rows } = await this.db.query<{ name: string; scopes: string[] }>(SQL.find, [hashToken(secret)]);
    return rows[0] ? { name: rows[0].name, scopes: rows[0].scopes } : undefined;
  }

  /** The live token bound to an outside publisher's NATS nkey, if any (`CommandAuthGuard`). */
  async findByNatsKey(publicKey: string): Promise<Principal | undefined> {
    const { rows } = await this.db.query<{ name: string; scopes: string[] }>(SQL.findByNatsKey, [publicKey]);
    return rows[0] ? { name: rows[0].name, scopes: rows[0].scopes } : undefined;
  }
}

function validateToken(name: string, scopes: readonly string[]): Scope[] {
  if (typeof name !== 'string' || !TOKEN_NAME_PATTERN.test(name) || RESERVED_PRINCIPAL_NAMES.includes(name)) {
    throw new HangarError('TOKEN.INVALID_NAME', `token name must match ${TOKEN_NAME_PATTERN.source} and not be ${RESERVED_PRINCIPAL_NAMES.join(', ')}; got "${String(name)}"`, [
      { path: 'name', message: 'invalid token name' },
    ]);
  }
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new HangarError('TOKEN.INVALID_SCOPE', 'a token needs at least one scope: admin, audit:read, registry:push, registry:push:<host>/<repository>, app:<name>:read or app:<name>:deploy', [{ path: 'scopes', message: 'required' }]);
  }
  return [...new Set(scopes)].map((raw) => {
    const scope = typeof raw === 'string' ? parseScope(raw) : undefined;
    if (!scope) throw new HangarError('TOKEN.INVALID_SCOPE', `scope must be admin, audit:read, registry:push, registry:push:<host>/<repository>, app:<name>:read or app:<name>:deploy; got "${String(raw)}"`, [{ path: 'scopes', message: 'invalid scope' }]);
    return scope;
  });
}

function toRecord(row: TokenRow): ApiTokenRecord {
  return {
    name: row.name,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    ...(row.revoked_at ? { revokedAt: row.revoked_at.toISOString() } : {}),
    ...(row.nats_key ? { natsKey: row.nats_key } : {}),
  };
}
