import { streams } from '@hangar/contracts';
import type { SqlQueryable, TamperFinding } from '@hangar/event-store';
import { loadSql } from '../sql-files';

const SQL = { rows: loadSql('audit-api-tokens') };

interface TokenAuditRow {
  name: string;
  scopes: string[];
  nats_key: string | null;
  revoked: boolean;
  created: { name?: unknown; scopes?: unknown; natsKey?: unknown } | null;
  revoked_in_stream: boolean;
}

/**
 * `audit verify`'s cross-check of `api_tokens` (DESIGN G7, review H2): every live row must have
 * been written with a `TokenCreated` of the same scopes and NATS key in `token-<name>`, and no `TokenRevoked`
 * since. A row inserted or widened with SQL is reported as `unrecorded-token`; the events themselves
 * are covered by the keyed chain. (The secret's hash is not in the events, by design: swapping the
 * hash of a recorded token's row is not detected here.)
 */
export async function checkApiTokens(db: SqlQueryable): Promise<TamperFinding[]> {
  const { rows } = await db.query<TokenAuditRow>(SQL.rows, [streams.token('')]);
  const findings: TamperFinding[] = [];
  for (const row of rows) {
    const problem = tokenProblem(row);
    if (problem) findings.push({ streamId: streams.token(row.name), position: 1, kind: 'unrecorded-token', message: `api_tokens row "${row.name}": ${problem}` });
  }
  return findings;
}

function tokenProblem(row: TokenAuditRow): string | undefined {
  if (!row.created) return `no TokenCreated event in ${streams.token(row.name)} (the row was written outside the gateway)`;
  if (row.revoked) return undefined;
  if (row.revoked_in_stream) return `revoked in ${streams.token(row.name)} but live in the table`;
  const recorded = Array.isArray(row.created.scopes) ? row.created.scopes.map(String).sort() : [];
  const live = [...row.scopes].sort();
  if (recorded.join('\n') !== live.join('\n')) return `scopes ${live.join(', ')} differ from the recorded ${recorded.join(', ') || '(none)'}`;
  const recordedKey = typeof row.created.natsKey === 'string' ? row.created.natsKey : null;
  if (recordedKey !== row.nats_key) return `bound to NATS key ${row.nats_key ?? '(none)'}, recorded ${recordedKey ?? '(none)'}`;
  return undefined;
}
