import { Pool } from 'pg';
import { ensureDatabase, eventStoreMigrations, runMigrations } from '@hangar/event-store';
import { createTestDatabase, testNamespace } from '@hangar/testing';
import { benchAppends } from './append.bench';
import { benchDeploys } from './deploy.bench';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run.
 * `--machines N` (default 1000) and `--appends N` (per writer, default 2000) size it.
 */
async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const machines = arg('machines', 1000);
  const appends = arg('appends', 2000);
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

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
