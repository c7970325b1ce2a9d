import { sharedInfra } from './chaos-infra';
import { runChaos, summaryLine } from './chaos-runner';

/**
 * The short chaos run of `npm test` (issue 4 §5): the same runner as `npm run test:chaos`, in
 * process, 5 runs with small fleets. It uses the machine's shared NATS and Postgres, so it never
 * restarts them (the full runner does, on services of its own); kills, lost messages and (in one
 * run) the lossy bus still happen.
 */
describe('chaos (short run)', () => {
  it('keeps every rollout exact through kills, lost messages and a lossy bus', async () => {
    const seed = Math.floor(Math.random() * 1_000_000);
    const lines: string[] = [];
    const summary = await runChaos(sharedInfra(), {
      runs: 5,
      seed,
      lossy: 'some',
      machines: [8, 14],
      kills: [2, 4],
      infraRestarts: false,
      log: (line) => lines.push(line),
    });
    const report = `${summaryLine(summary)}\n${lines.join('\n')}\nreplay: npm run test:chaos -- --shared --runs 5 --seed ${seed}`;
    expect({ failedSeeds: summary.failedSeeds, report }).toEqual({ failedSeeds: [], report: expect.any(String) });
    expect(summaryLine(summary)).toMatch(/^runs=5 kills=[1-9]\d* releases=10 machines=\d+ lost=0 duplicated=0 over_unavailable=0 stuck=0 resume_p50_ms=(\d+|n\/a)$/);
  }, 900_000);
});
