import { createHash, randomBytes } from 'node:crypto';
import { HangarError, parseScope, RESERVED_PRINCIPAL_NAMES, TOKEN_NAME_PATTERN, type Scope } from '@hangar/contracts';
import type { SqlQueryable } from '@hangar/event-store';
import { loadSql } from '../sql-files';

const SQL = {
  insert: loadSql('insert-api-token'),
  list: loadSql('list-api-tokens'),
  revoke: loadSql('revoke-api-token'),
  find: loadSql('find-api-token'),
};

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
}

interface TokenRow {
  name: string;
  scopes: string[];
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
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
  async create(input: { name: string; scopes: readonly string[]; createdBy: string }, db: SqlQueryable = this.db): Promise<{ token: ApiTokenRecord; secret: string }> {
    const scopes = validateToken(input.name, input.scopes);
    const secret = generateTokenSecret();
    const { rows } = await db.query<TokenRow>(SQL.insert, [input.name, hashToken(secret), scopes, input.createdBy]);
    if (rows.length === 0) throw new HangarError('TOKEN.CONFLICT', `a token named '${input.name}' exists (revoked names are not reused)`, { name: input.name });
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
}

function validateToken(name: string, scopes: readonly string[]): Scope[] {
  if (typeof name !== 'string' || !TOKEN_NAME_PATTERN.test(name) || RESERVED_PRINCIPAL_NAMES.includes(name)) {
    throw new HangarError('TOKEN.INVALID_NAME', `token name must match ${TOKEN_NAME_PATTERN.source} and not be ${RESERVED_PRINCIPAL_NAMES.join(', ')}; got "${String(name)}"`, [
      { path: 'name', message: 'invalid token name' },
    ]);
  }
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new HangarError('TOKEN.INVALID_SCOPE', 'a token needs at least one scope: admin, audit:read, registry:push, app:<name>:read or app:<name>:deploy', [{ path: 'scopes', message: 'required' }]);
  }
  return [...new Set(scopes)].map((raw) => {
    const scope = typeof raw === 'string' ? parseScope(raw) : undefined;
    if (!scope) throw new HangarError('TOKEN.INVALID_SCOPE', `scope must be admin, audit:read, registry:push, app:<name>:read or app:<name>:deploy; got "${String(raw)}"`, [{ path: 'scopes', message: 'invalid scope' }]);
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
  };
}
