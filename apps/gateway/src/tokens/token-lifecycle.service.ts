import { Inject, Injectable } from '@nestjs/common';
import { HangarError, scopeProblem, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore, type SqlQueryable, type Tx } from '@hangar/event-store';
import { ApiTokenStore, type ApiTokenRecord } from '@hangar/messaging';

const asQueryable = (tx: Tx): SqlQueryable => ({ query: async <R>(sql: string, params?: unknown[]) => ({ rows: await tx.query<R>(sql, params) }) });

/**
 * Creates and revokes API tokens: the `api_tokens` row and a `TokenCreated` / `TokenRevoked` event
 * in `token-<name>` commit together, so the audit trail has every token that could ever act. The
 * events carry name, scopes and actor, never the secret or its hash.
 */
@Injectable()
export class TokenLifecycle {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly tokens: ApiTokenStore,
  ) {}

  create(input: { name: string; scopes: string[]; natsKey?: string }, actor: string): Promise<{ token: ApiTokenRecord; secret: string }> {
    refuseMalformedScopes(input.scopes);
    return this.store.transaction(async (tx) => {
      const created = await this.tokens.create({ ...input, createdBy: actor }, asQueryable(tx));
      const data = { name: created.token.name, scopes: created.token.scopes, ...(created.token.natsKey ? { natsKey: created.token.natsKey } : {}) };
      await this.store.append(streams.token(input.name), [{ type: 'TokenCreated', data, metadata: { actor } }], { expectedVersion: 'NO_STREAM', tx });
      return created;
    });
  }

  revoke(name: string, actor: string): Promise<{ token: ApiTokenRecord }> {
    return this.store.transaction(async (tx) => {
      const revoked = await this.tokens.revoke(name, asQueryable(tx));
      const history = await this.store.readStream(streams.token(name), { tx });
      if (!history.some((e) => e.type === 'TokenRevoked')) {
        await this.store.append(streams.token(name), [{ type: 'TokenRevoked', data: { name }, metadata: { actor } }], { expectedVersion: history.length, tx });
      }
      return revoked;
    });
  }

  list(): Promise<ApiTokenRecord[]> {
    return this.tokens.list();
  }
}

/**
 * The store refuses any invalid scope too, but with the list of shapes only; this names what is wrong
 * with the one given (a `registry:push:<target>` whose target is malformed, review H4).
 */
function refuseMalformedScopes(scopes: unknown): void {
  if (!Array.isArray(scopes)) return;
  for (const raw of scopes) {
    const problem = typeof raw === 'string' ? scopeProblem(raw) : undefined;
    if (problem) throw new HangarError('TOKEN.INVALID_SCOPE', problem, [{ path: 'scopes', message: problem }]);
  }
}
