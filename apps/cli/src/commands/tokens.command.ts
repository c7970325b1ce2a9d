import type { Command } from 'commander';
import { collect, table, type CliContext } from '../cli-context';

interface TokenRecord {
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt?: string;
  natsKey?: string;
}


/** `hangar tokens create|list|revoke` (DESIGN §7.1): API tokens with scopes; admin only. */
export function registerTokens(program: Command, ctx: CliContext): void {
  const tokens = program.command('tokens').description('Manage API tokens');
  tokens
    .command('create <name>')
    .description('Create a token; its secret is printed once')
    .option(
      '-s, --scope <scope>',
      'admin | audit:read | app:<name>:read | app:<name>:deploy | registry:push:<host>/<repository> (record-push for that repository; <host>/<prefix>/* for those under the prefix, <host>/* for the host) | registry:push (wide: every repository of every registry) (repeatable)',
      collect,
      [],
    )
    .option('--nats-key <key>', "bind the token to an outside NATS publisher's nkey (U…, printed by hangar nats init): its NATS commands act with these scopes")
    .option('--json', 'print JSON ({ token, secret })')
    .action(async (name: string, opts: { scope: string[]; natsKey?: string; json?: boolean }) => {
      const body = { name, scopes: opts.scope, ...(opts.natsKey !== undefined ? { natsKey: opts.natsKey } : {}) };
      const created = await ctx.api().request<{ token: TokenRecord; secret: string }>('POST', '/v1/tokens', body);
      if (opts.json) return ctx.json(created);
      const bound = created.token.natsKey ? `, NATS key ${created.token.natsKey}` : '';
      ctx.out(`Token ${created.token.name} created (scopes: ${created.token.scopes.join(', ')}${bound}). Its secret, shown only now:`);
      ctx.out(created.secret);
    });
  tokens
    .command('list')
    .description('List tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { tokens: list } = await ctx.api().request<{ tokens: TokenRecord[] }>('GET', '/v1/tokens');
      if (opts.json) return ctx.json({ tokens: list });
      const rows = [['NAME', 'SCOPES', 'NATS KEY', 'CREATED BY', 'CREATED', 'REVOKED']];
      for (const t of list) rows.push([t.name, t.scopes.join(','), t.natsKey ?? '-', t.createdBy, t.createdAt, t.revokedAt ?? '-']);
      table(rows).forEach((l) => ctx.out(l));
    });
  tokens
    .command('revoke <name>')
    .description('Revoke a token at once (its name is never reused)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const { token } = await ctx.api().request<{ token: TokenRecord }>('DELETE', `/v1/tokens/${encodeURIComponent(name)}`);
      if (opts.json) return ctx.json({ token });
      ctx.out(`Token ${token.name} revoked at ${token.revokedAt}`);
    });
}
