import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { collect, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';

interface AuditOpts {
  app?: string;
  type: string[];
  actor?: string;
  release?: string;
  machine?: string;
  since?: string;
  until?: string;
  after?: string;
  limit?: string;
  json?: boolean;
}

interface AuditEvent {
  eventId: string;
  globalPosition: number;
  streamId: string;
  streamPosition: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor?: string };
  recordedAt: string;
}

interface VerifyReport {
  ok: boolean;
  streams: number;
  events: number;
  legacyEvents?: number;
  against?: { sequence: number; digest: string; heads: number };
  checkpoint: { sequence: number; recordedAt: string; streamCount: number; digest: string } | null;
  problems: { streamId: string; position: number; kind: string; message: string }[];
}


/** The query string of `GET /v1/audit` for these options, continuing after `after`. */
export function auditQuery(opts: AuditOpts, after?: number): string {
  const q = new URLSearchParams();
  const set = (k: string, v: string | undefined) => v !== undefined && q.append(k, v);
  set('app', opts.app);
  for (const t of opts.type) q.append('type', t);
  set('actor', opts.actor);
  set('release', opts.release);
  set('machine', opts.machine);
  set('since', opts.since);
  set('until', opts.until);
  set('limit', opts.limit ?? (opts.json ? '1000' : undefined));
  const cursor = after ?? (opts.after !== undefined ? Number(opts.after) : undefined);
  if (cursor) q.append('after', String(cursor));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** `hangar audit [filters] [--json]`, `hangar audit verify`, `hangar audit checkpoint` (DESIGN §7.1, G7). */
export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = program
    .command('audit')
    .description('Query the event history: who did what, when (filters combine)')
    .option('-a, --app <app>', 'events of this app')
    .option('-t, --type <type>', 'event type (repeatable)', collect, [])
    .option('--actor <name>', 'events caused by this actor (token name, admin, system)')
    .option('--release <id>', 'events of this release id')
    .option('--machine <id>', 'events of this machine')
    .option('--since <time>', 'recorded at or after this RFC 3339 time')
    .option('--until <time>', 'recorded at or before this RFC 3339 time')
    .option('--after <position>', 'start after this global position (a previous page’s next)')
    .option('--limit <n>', 'events per page, up to 1000 (default 100; 1000 with --json)')
    .option('--json', 'print every matching event as NDJSON, page after page')
    .action(async (opts: AuditOpts) => {
      if (opts.json) return exportAll(ctx, opts);
      const page = await ctx.api().request<{ events: AuditEvent[]; next: number | null }>('GET', `/v1/audit${auditQuery(opts)}`);
      const rows = [['POSITION', 'TIME', 'STREAM', 'TYPE', 'ACTOR', 'SUMMARY']];
      for (const e of page.events) rows.push([String(e.globalPosition), e.recordedAt, `${e.streamId}@${e.streamPosition}`, e.type, e.metadata.actor ?? '-', summary(e)]);
      table(rows).forEach((l) => ctx.out(l));
      if (page.next !== null) ctx.out(`\nMore: add --after ${page.next}`);
    });
  audit
    .command('verify')
    .description('Check every event against its keyed hash chain, every checkpoint and the API tokens; exit 1 when tampering is found')
    .option('--against <file>', 'also check the heads of a checkpoint exported with `hangar audit checkpoint --export`')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean; against?: string }) => {
      const report = opts.against
        ? await ctx.api().request<VerifyReport>('POST', '/v1/audit/verify', { against: readExport(opts.against) })
        : await ctx.api().request<VerifyReport>('GET', '/v1/audit/verify');
      if (opts.json) ctx.json(report);
      else printReport(ctx, report);
      if (!report.ok) throw new CliError(opts.json ? '' : `${report.problems.length} problem(s) found`, ExitCode.FAILED);
    });
  audit
    .command('checkpoint')
    .description('Record a checkpoint of every stream’s head now (admin)')
    .option('--export <file>', 'then write the latest checkpoint, signed, to this file: keep it where the database writer cannot reach')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; export?: string }) => {
      const res = await ctx.api().request<{ checkpoint: { sequence: number; streamCount: number; digest: string } | null; regressions: unknown[] }>('POST', '/v1/audit/checkpoints');
      const exported = opts.export ? await exportLatest(ctx, opts.export) : undefined;
      if (opts.json) return ctx.json(exported ? { ...res, exported } : res);
      ctx.out(res.checkpoint ? `Checkpoint #${res.checkpoint.sequence}: ${res.checkpoint.streamCount} streams, digest ${res.checkpoint.digest}` : 'Nothing changed since the last checkpoint');
      if (exported) ctx.out(`Exported checkpoint #${exported.sequence} (${exported.heads} heads) to ${exported.file}`);
      if (res.regressions.length > 0) ctx.err(`Warning: ${res.regressions.length} stream(s) no longer match the checkpoints: run \`hangar audit verify\``);
    });
}

async function exportLatest(ctx: CliContext, file: string): Promise<{ file: string; sequence: number; heads: number }> {
  const doc = await ctx.api().request<{ sequence: number; heads: unknown[] }>('GET', '/v1/audit/checkpoints/latest');
  try {
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o644 });
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`, ExitCode.FAILED);
  }
  return { file, sequence: doc.sequence, heads: doc.heads.length };
}

function readExport(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.USAGE);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not JSON: expected a file written by \`hangar audit checkpoint --export\``, ExitCode.USAGE);
  }
}

async function exportAll(ctx: CliContext, opts: AuditOpts): Promise<void> {
  let after: number | undefined;
  for (;;) {
    const page = await ctx.api().request<{ events: AuditEvent[]; next: number | null }>('GET', `/v1/audit${auditQuery(opts, after)}`);
    for (const e of page.events) ctx.json(e);
    if (page.next === null) return;
    after = page.next;
  }
}

function summary(e: AuditEvent): string {
  const d = e.data;
  const parts = [
    typeof d.app === 'string' ? `app ${d.app}` : undefined,
    typeof d.version === 'number' ? `v${d.version}` : undefined,
    typeof d.machineId === 'string' ? `machine ${d.machineId}` : undefined,
    typeof d.kind === 'string' ? String(d.kind) : undefined,
    typeof d.name === 'string' ? `name ${d.name}` : undefined,
    typeof d.reason === 'string' ? `reason: ${d.reason}` : undefined,
  ];
  return parts.filter(Boolean).join(', ');
}

function printReport(ctx: CliContext, r: VerifyReport): void {
  const recorded = r.checkpoint ? `checkpoint #${r.checkpoint.sequence} of ${r.checkpoint.recordedAt} (${r.checkpoint.streamCount} streams, digest ${r.checkpoint.digest})` : 'no checkpoint yet';
  const anchor = r.against ? `${recorded} and the exported checkpoint #${r.against.sequence} (${r.against.heads} heads)` : recorded;
  if (r.legacyEvents) ctx.err(`Note: ${r.legacyEvents} event(s) stored before keyed hashing carry unkeyed (legacy) hashes: a database writer could have recomputed them`);
  if (r.ok) {
    ctx.out(`✓ ${r.events} events in ${r.streams} streams verified against their hash chains and ${anchor}`);
    return;
  }
  ctx.out(`✗ tampering found (${r.events} events in ${r.streams} streams checked against their hash chains and ${anchor}):`);
  for (const p of r.problems) ctx.out(`  ${p.streamId} position ${p.position}: ${p.kind}: ${p.message}`);
}
