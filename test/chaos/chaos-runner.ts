import { TEST_REGISTRY_HOST, TEST_REGISTRY_URL, buildMinimalImage, pushImage, uniqueSuffix } from '@hangar/testing';
import { median } from './fleet-timeline.checks';
import type { ChaosInfra } from './chaos-infra';
import { chaosRun, type RunResult, type RunSettings } from './chaos-run';

export interface ChaosOptions {
  runs: number;
  /** Run i uses seed + i: replay one run with `--runs 1 --seed <its seed>`. */
  seed: number;
  /** `all`: every run through the lossy NATS proxy; `some`: every third seed; `none`. */
  lossy: 'all' | 'some' | 'none';
  machines: readonly [number, number];
  kills: readonly [number, number];
  infraRestarts: boolean;
  log(line: string): void;
}

export interface ChaosSummary {
  runs: number;
  kills: number;
  releases: number;
  machines: number;
  lost: number;
  duplicated: number;
  overUnavailable: number;
  stuck: number;
  resumeP50Ms: number | undefined;
  /** Seeds of the runs that found a violation (or could not finish). */
  failedSeeds: number[];
  results: RunResult[];
}

/** Runs the chaos runs one after another on `infra` and adds up their verdicts. */
export async function runChaos(infra: ChaosInfra, options: ChaosOptions): Promise<ChaosSummary> {
  const images = await pushImages();
  const results: RunResult[] = [];
  const failedSeeds: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const seed = options.seed + i;
    // From the seed, not the run's index, so that `--runs 1 --seed <seed>` replays the run as it was.
    const lossy = options.lossy === 'all' || (options.lossy === 'some' && seed % 3 === 2);
    const settings: RunSettings = { seed, lossy, machines: options.machines, kills: options.kills, infraRestarts: options.infraRestarts, images, log: options.log };
    const started = Date.now();
    try {
      const result = await chaosRun(infra, settings);
      results.push(result);
      const v = result.violations;
      const bad = v.lost + v.duplicated + v.overUnavailable + v.stuck > 0;
      if (bad) failedSeeds.push(seed);
      options.log(
        `run ${i + 1}/${options.runs} seed=${seed} ${result.strategy}${lossy ? ' lossy' : ''} machines=${result.machines} kills=${result.kills} ` +
          `${bad ? 'VIOLATIONS' : 'ok'} ${Math.round((Date.now() - started) / 1000)}s; ${result.notes.join(', ')}`,
      );
      for (const m of v.messages) options.log(`  seed=${seed}: ${m}`);
    } catch (error) {
      failedSeeds.push(seed);
      options.log(`run ${i + 1}/${options.runs} seed=${seed} could not complete: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const sum = (f: (r: RunResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    runs: options.runs,
    kills: sum((r) => r.kills),
    releases: sum((r) => r.releases),
    machines: sum((r) => r.machines),
    lost: sum((r) => r.violations.lost),
    duplicated: sum((r) => r.violations.duplicated),
    overUnavailable: sum((r) => r.violations.overUnavailable),
    stuck: sum((r) => r.violations.stuck),
    resumeP50Ms: median(results.flatMap((r) => r.resumeMs)),
    failedSeeds,
    results,
  };
}

/** The one summary line (issue 4 §3). */
export function summaryLine(s: ChaosSummary): string {
  const resume = s.resumeP50Ms === undefined ? 'n/a' : String(Math.round(s.resumeP50Ms));
  return (
    `runs=${s.runs} kills=${s.kills} releases=${s.releases} machines=${s.machines} lost=${s.lost} duplicated=${s.duplicated} ` +
    `over_unavailable=${s.overUnavailable} stuck=${s.stuck} resume_p50_ms=${resume}`
  );
}

/** Three small images in the local registry: what the machines are seeded with, and the two deploys. */
async function pushImages(): Promise<RunSettings['images']> {
  const repo = `chaos-${uniqueSuffix()}`;
  const refs: string[] = [];
  for (const tag of ['seed', 'first', 'second']) {
    await pushImage(TEST_REGISTRY_URL, repo, tag, buildMinimalImage());
    refs.push(`${TEST_REGISTRY_HOST}/${repo}:${tag}`);
  }
  return { seed: refs[0]!, first: refs[1]!, second: refs[2]! };
}
