import type { Command } from 'commander';
import type { SecretsChangeResult, SecretsListing } from '@hangar/contracts';
import { resolveApp, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { followRelease } from './deploy.command';
import { formatImportIssue, parseSecretsImport } from './secrets-import';

interface Opts {
  app?: string;
  config?: string;
  stage?: boolean;
  detach?: boolean;
  json?: boolean;
}

const POLL_MS = 200;
const RELEASE_WAIT_MS = 60_000;

/** `hangar secrets set|unset|import|list|deploy|rotate-key` (DESIGN §6.6, §7.1). */
export function registerSecrets(program: Command, ctx: CliContext, readStdin: () => Promise<string> = readAllStdin): void {
  const secrets = program.command('secrets').description("Manage the app's secrets (every change is a new version, and a release)");
  const common = (cmd: Command) =>
    cmd.option('-a, --app <app>', 'app name (default: app in fly.toml)').option('-c, --config <path>', 'path to fly.toml').option('--json', 'print JSON');
  common(
    secrets
      .command('set <pairs...>')
      .description('Set secrets (NAME=VALUE; a VALUE of - reads stdin) and release them')
      .option('--stage', 'only store the change: no release until `secrets deploy`')
      .option('--detach', 'return once the release is created'),
  ).action(async (pairs: string[], opts: Opts) => {
    const set = await parsePairs(pairs, readStdin);
    await change(ctx, resolveApp(opts), { set, stage: Boolean(opts.stage) }, opts);
  });
  common(
    secrets
      .command('unset <names...>')
      .description('Remove secrets and release the change')
      .option('--stage', 'only store the change: no release until `secrets deploy`')
      .option('--detach', 'return once the release is created'),
  ).action((names: string[], opts: Opts) => change(ctx, resolveApp(opts), { unset: names, stage: Boolean(opts.stage) }, opts));
  common(
    secrets
      .command('import')
      .description('Set secrets from NAME=VALUE lines on stdin (as `fly secrets import`): one secrets version, one release')
      .option('--stage', 'only store the change: no release until `secrets deploy`')
      .option('--detach', 'return once the release is created'),
  ).action(async (opts: Opts) => {
    const app = resolveApp(opts);
    if (process.stdin.isTTY) ctx.err('Reading NAME=VALUE lines from stdin; end with Ctrl-D.');
    const parsed = parseSecretsImport(await readStdin());
    if (!parsed.ok) {
      const shown = parsed.errors.slice(0, 20).map((e) => `  ${formatImportIssue(e)}`);
      const more = parsed.errors.length > 20 ? [`  … and ${parsed.errors.length - 20} more`] : [];
      throw new CliError([`secrets import: nothing was set; fix stdin:`, ...shown, ...more].join('\n'), ExitCode.USAGE);
    }
    for (const w of parsed.warnings) ctx.err(`warning: ${formatImportIssue(w)}`);
    await change(ctx, app, { set: parsed.secrets, stage: Boolean(opts.stage) }, opts);
  });
  common(secrets.command('list').description('List secrets: name, digest, created at, status')).action(async (opts: Opts) => {
    const listing = await ctx.api().request<SecretsListing>('GET', `/v1/apps/${resolveApp(opts)}/secrets`);
    if (opts.json) return ctx.json(listing);
    if (listing.secrets.length === 0) return ctx.out('No secrets are set');
    const rows = listing.secrets.map((s) => [s.name, s.digest, s.createdAt, s.unset ? 'staged (unset)' : s.status]);
    table([['NAME', 'DIGEST', 'CREATED AT', 'STATUS'], ...rows]).forEach((l) => ctx.out(l));
  });
  common(secrets.command('deploy').description('Release the staged secret changes').option('--detach', 'return once the release is created')).action(async (opts: Opts) => {
    const app = resolveApp(opts);
    const result = await ctx.api().request<SecretsChangeResult>('POST', `/v1/apps/${app}/secrets/deploy`, {});
    await followChange(ctx, app, result, opts);
  });
  secrets
    .command('rotate-key')
    .description('Re-wrap every data key under HANGAR_SECRETS_KEY (from HANGAR_SECRETS_KEY_PREVIOUS); no release')
    .option('--json', 'print JSON')
    .action(async (opts: Opts) => {
      const result = await ctx.api().request<{ keyId: string; rotated: string[]; message: string }>('POST', '/v1/secrets/rotate-key', {});
      if (opts.json) ctx.json(result);
      else ctx.out(result.message);
    });
}

async function change(ctx: CliContext, app: string, body: { set?: Record<string, string>; unset?: string[]; stage: boolean }, opts: Opts): Promise<void> {
  const result = await ctx.api().request<SecretsChangeResult>('POST', `/v1/apps/${app}/secrets`, body);
  await followChange(ctx, app, result, opts);
}

/** Prints the outcome of a change; when it releases, waits for that release and follows it like `deploy`. */
async function followChange(ctx: CliContext, app: string, result: SecretsChangeResult, opts: Opts): Promise<void> {
  if (!opts.json) ctx.out(result.message);
  if (result.release !== 'pending' || opts.detach) {
    if (opts.json) ctx.json({ secrets: result });
    return;
  }
  const release = await waitForRelease(ctx, app, result.version);
  if (!opts.json) ctx.out(`Release v${release.version} (trigger secrets) delivers secrets version ${result.version}`);
  const final = await followRelease(ctx, app, release, Boolean(opts.json));
  if (opts.json) ctx.json({ secrets: result, release: { id: release.id, version: release.version, status: final.status } });
  if (final.exitCode !== 0) throw new CliError('', final.exitCode);
}

/** The release that carries secrets version `version` (or a newer one), once releaser has queued it. */
async function waitForRelease(ctx: CliContext, app: string, version: number): Promise<{ id: string; version: number; status: string }> {
  const deadline = Date.now() + RELEASE_WAIT_MS;
  for (;;) {
    const { lastRelease } = await ctx.api().request<SecretsListing>('GET', `/v1/apps/${app}/secrets`);
    if (lastRelease && lastRelease.secretsVersion >= version) return { id: lastRelease.releaseId, version: lastRelease.releaseVersion, status: 'queued' };
    if (Date.now() > deadline) {
      throw new CliError(`secrets version ${version} is stored, but no release has picked it up within ${RELEASE_WAIT_MS / 1000}s; check \`hangar releases -a ${app}\``, ExitCode.FAILED);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** `NAME=VALUE` pairs; a VALUE of `-` reads stdin (once). Errors name the argument, never a value. */
export async function parsePairs(pairs: readonly string[], readStdin: () => Promise<string>): Promise<Record<string, string>> {
  const set: Record<string, string> = {};
  let stdinUsed = false;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`expected NAME=VALUE, got an argument without "=" or a name (${eq < 0 ? `"${pair.slice(0, 64)}"` : 'empty name'})`, ExitCode.USAGE);
    const name = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    if (value === '-') {
      if (stdinUsed) throw new CliError('only one secret can read its value from stdin (-)', ExitCode.USAGE);
      stdinUsed = true;
      value = (await readStdin()).replace(/\r?\n$/, '');
    }
    if (name in set) throw new CliError(`secret ${name} is given twice`, ExitCode.USAGE);
    set[name] = value;
  }
  return set;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
