import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { formatCreatedReceiver, formatReceivers, parseSource, type CreatedReceiver, type ListedReceiver } from '../registry-output';

/** `hangar receivers add|list|remove` (issue 6): endpoints that registries' push webhooks call. Admin only. */
export function registerReceivers(program: Command, ctx: CliContext, readStdin: () => Promise<string> = readAllStdin): void {
  const receivers = program.command('receivers').description('Manage registry webhook receivers');
  receivers
    .command('add')
    .description('Add a receiver for one registry; prints its URL, and its secret once when generated')
    .requiredOption('--source <source>', 'distribution | dockerhub | ghcr | harbor | quay | ecr | gar | acr | jfrog')
    .option('--host <host>', 'the registry host its webhooks report pushes for (registry.example.com:5000); required but for dockerhub and ghcr; pushes to any other host are refused')
    .option('--prefix <repository>', 'only repositories equal to it or under it (acme covers acme/web); pushes outside it are refused')
    .option('--secret <secret>', 'the secret the registry sends (- reads it from stdin); generated when omitted')
    .option('--json', 'print JSON ({ receiver: { id, source, host, repositoryPrefix?, url, secret? } })')
    .action(async (opts: { source: string; host?: string; prefix?: string; secret?: string; json?: boolean }) => {
      const source = parseSource(opts.source);
      const secret = opts.secret === '-' ? (await readStdin()).replace(/\r?\n$/, '') : opts.secret;
      if (secret !== undefined && secret.length === 0) throw new CliError('--secret is empty', ExitCode.USAGE);
      const binding = { ...(opts.host !== undefined ? { host: opts.host } : {}), ...(opts.prefix !== undefined ? { repositoryPrefix: opts.prefix } : {}) };
      const { receiver } = await ctx.api().request<{ receiver: CreatedReceiver }>('POST', '/v1/receivers', { source, ...binding, ...(secret !== undefined ? { secret } : {}) });
      if (opts.json) return ctx.json({ receiver });
      formatCreatedReceiver(receiver).forEach((l) => ctx.out(l));
    });
  receivers
    .command('list')
    .description('List receivers and their URLs (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { receivers: list } = await ctx.api().request<{ receivers: ListedReceiver[] }>('GET', '/v1/receivers');
      if (opts.json) return ctx.json({ receivers: list });
      formatReceivers(list).forEach((l) => ctx.out(l));
    });
  receivers
    .command('remove <id>')
    .description('Remove a receiver: its URL answers 404 from then on')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { receiver } = await ctx.api().request<{ receiver: { id: string } }>('DELETE', `/v1/receivers/${encodeURIComponent(id)}`);
      if (opts.json) return ctx.json({ receiver });
      ctx.out(`Receiver ${receiver.id} removed`);
    });
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
