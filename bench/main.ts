import { Pool } from 'pg';
import { ensureDatabase, eventStoreMigrations, runMigrations } from '@hangar/event-store';
import { createTestDatabase, testNamespace } from '@hangar/testing';
import { benchAppends } from './append.bench';
import { benchAuditQueries, seedAuditEvents } from './audit.bench';
import { benchDeploys } from './deploy.bench';
import { benchZeroDowntime } from './zero-downtime.bench';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run.
 * `--machines N` (default 1000) and `--appends N` (per writer, default 2000) size it;
 * `--audit-events N` (default 1 000 000; 0 skips) sizes the audit query section, and
 * `--only audit` runs that section alone (`npm run bench -- --only audit`), `--only zero-downtime` the
 * zero-downtime section (real machines through the edge proxy; skipped, saying so, without podman).
 */
async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const machines = arg('machines', 1000);
  const appends = arg('appends', 2000);
  const auditEvents = arg('audit-events', 1_000_000);
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (auditEvents > 0 && (only === undefined || only === 'audit')) await auditSection(auditEvents);
  if (only === 'audit') return;
  if (only === undefined || only === 'zero-downtime') await zeroDowntimeSection();
  if (only === 'zero-downtime') return;
  const db = await createTestDatabase('hangar_bench');
  try {
    await ensureDatabase(db.url);
    await runMigrations(db.url, eventStoreMigrations);
    const pool = new Pool({ connectionString: db.url, max: 16 });
    for (const writers of [1, 16]) {
      const f = await benchAppends(pool, writers, writers === 1 ? appends : Math.ceil(appends / 4));
      process.stdout.write(
        `appends writers=${f.writers} event_store=${f.appendsPerSec.toFixed(0)}/s plain_insert=${f.plainInsertsPerSec.toFixed(0)}/s ratio=${f.ratio.toFixed(2)}\n`,
      );
    }
    await pool.end();
    for (const f of await benchDeploys(db.url, testNamespace('b'), machines)) {
      process.stdout.write(
        `deploy strategy=${f.strategy} machines=${f.machines} concurrency=${f.concurrency} hangar=${f.hangarSeconds.toFixed(2)}s direct=${f.directSeconds.toFixed(2)}s ` +
          `machines_per_sec=${f.machinesPerSec.toFixed(1)} overhead_ms_per_machine=${f.overheadMsPerMachine.toFixed(2)} ratio=${f.ratio.toFixed(2)}\n`,
      );
    }
  } finally {
    await db.drop();
  }
}

/** Requests through the edge during a deploy of each strategy, against the same load with no deploy. */
async function zeroDowntimeSection(): Promise<void> {
  const db = await createTestDatabase('hangar_bench_zd');
  try {
    const figures = await benchZeroDowntime(db.url, testNamespace('z'));
    if (!figures) {
      process.stdout.write('zero-downtime skipped: podman does not work here (it needs podman and runc; see scripts/services.sh)\n');
      return;
    }
    for (const f of figures) {
      process.stdout.write(
        `zero-downtime strategy=${f.strategy} machines=${f.machines} requests=${f.requests} failed=${f.failed} p99_ms=${f.p99Ms.toFixed(1)} p99_ratio=${f.p99Ratio.toFixed(2)} seconds=${f.seconds.toFixed(1)}` +
          `${f.failures.length > 0 ? ` first_failures=${JSON.stringify(f.failures.slice(0, 3))}` : ''}\n`,
      );
    }
  } finally {
    await db.drop();
  }
}

/** Audit query latency over `count` events, each filter against a full scan, in a database of its own. */
async function auditSection(count: number): Promise<void> {
  const db = await createTestDatabase('hangar_bench_audit');
  try {
    await runMigrations(db.url, eventStoreMigrations);
    const pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined); // an idle connection cut by the server must not end the run
    try {
      const started = Date.now();
      await seedAuditEvents(pool, count);
      process.stdout.write(`audit seeded events=${count} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      for (const f of await benchAuditQueries(pool, db.url)) {
        process.stdout.write(
          `audit events=${count} query=${f.query} page=${f.matches} indexed_ms=${f.indexedMs.toFixed(2)} full_scan_ms=${f.fullScanMs.toFixed(1)} ratio=${f.ratio.toFixed(0)}\n`,
        );
      }
    } finally {
      await pool.end();
    }
  } finally {
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
