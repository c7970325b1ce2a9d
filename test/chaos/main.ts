import { privateInfra, sharedInfra, type ChaosInfra } from './chaos-infra';
import { runChaos, summaryLine, type ChaosOptions } from './chaos-runner';

/**
 * `npm run test:chaos -- [--runs N] [--seed S] [--lossy all|some|none] [--machines 20-40] [--kills 3-6] [--shared]`
 *
 * Prints progress and every violation on stderr, then exactly one summary line on stdout, and exits
 * 1 naming the seeds to replay when any run found a violation. By default the session gets its own
 * nats-server and Postgres cluster, so it can restart them; `--shared` uses the machine's services
 * (what `npm test` uses) and never restarts them.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const range = (name: string, fallback: readonly [number, number]): readonly [number, number] => {
    const raw = value(name);
    if (!raw) return fallback;
    const [lo, hi = lo] = raw.split('-').map(Number);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo! < 1 || hi! < lo!) throw new Error(`--${name} must be N or N-M; got "${raw}"`);
    return [lo!, hi!];
  };
  const shared = args.includes('--shared');
  const lossy = value('lossy') ?? 'some';
  if (lossy !== 'all' && lossy !== 'some' && lossy !== 'none') throw new Error(`--lossy must be all, some or none; got "${lossy}"`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const options: ChaosOptions = {
    runs: Number(value('runs') ?? 10),
    seed: Number(value('seed') ?? Math.floor(Math.random() * 1_000_000)),
    lossy,
    machines: range('machines', [20, 40]),
    kills: range('kills', [3, 6]),
    infraRestarts: !shared,
    log,
  };
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer');
  if (!Number.isInteger(options.seed)) throw new Error('--seed must be an integer');
  log(`chaos: ${options.runs} runs from seed ${options.seed} on ${shared ? 'the shared' : 'a private'} NATS and Postgres`);

  const infra: ChaosInfra = shared ? sharedInfra() : await privateInfra();
  const closeOnSignal = () => void infra.close().finally(() => process.exit(130));
  process.once('SIGINT', closeOnSignal);
  process.once('SIGTERM', closeOnSignal);
  try {
    const summary = await runChaos(infra, options);
    process.stdout.write(`${summaryLine(summary)}\n`);
    if (summary.failedSeeds.length > 0) {
      log(`chaos: violations; replay with: ${summary.failedSeeds.map((s) => `npm run test:chaos -- --runs 1 --seed ${s}`).join(' ; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await infra.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
