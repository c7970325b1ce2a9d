import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HangarProcesses, podmanAvailable, pushDemoImages, steadyLoad, uniqueSuffix, type SteadyLoadResult } from '@hangar/testing';

export interface ZeroDowntimeFigures {
  strategy: 'baseline' | 'rolling' | 'canary' | 'bluegreen' | 'immediate';
  machines: number;
  requests: number;
  failed: number;
  p99Ms: number;
  /** p99 against the same load with no deploy, measured in this run. */
  p99Ratio: number;
  seconds: number;
  failures: string[];
}

const RPS = 60;
const MACHINES = 3;

/**
 * Issue 13's zero-downtime measurement: 3 real machines (podman runtime) behind fleet's edge proxy,
 * a steady load of `RPS` requests a second through the edge (half over kept-alive connections, half
 * on new ones), and one deploy per strategy while it runs (rolling with max_unavailable 1, canary,
 * bluegreen, immediate), each to the other demo image. The baseline is the same load for 10 s with
 * no deploy. Needs podman (`null` without it).
 */
export async function benchZeroDowntime(databaseUrl: string, namespace: string): Promise<ZeroDowntimeFigures[] | null> {
  if (!(await podmanAvailable())) return null;
  const hangar = new HangarProcesses({ databaseUrl, namespace, extraEnv: { HANGAR_FLEET_RUNTIME: 'podman' } });
  await hangar.start();
  const dir = mkdtempSync(join(tmpdir(), 'hangar-bench-zd-'));
  try {
    const app = `zd-${uniqueSuffix()}`;
    const images = await pushDemoImages(`zd-${uniqueSuffix()}`, { a: { variant: 'ok', label: 'a' }, b: { variant: 'ok', label: 'b' } });
    const toml = (image: string, strategy: string) =>
      `app = "${app}"\nprimary_region = "local"\n\n[build]\nimage = "${image}"\n\n[deploy]\nstrategy = "${strategy}"\nmax_unavailable = 1\n\n` +
      `[http_service]\ninternal_port = 8080\n\n[[http_service.checks]]\ninterval = "500ms"\ntimeout = "1s"\ngrace_period = "0s"\npath = "/health"\n`;
    const cli = async (args: string[]) => {
      const r = await hangar.cli(args, { cwd: dir, timeoutMs: 600_000 });
      if (r.code !== 0) throw new Error(`hangar ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    };
    await cli(['apps', 'create', app]);
    writeFileSync(join(dir, 'fly.toml'), toml(images.a!.reference, 'rolling'));
    await cli(['deploy']);
    await cli(['scale', 'count', String(MACHINES), '-a', app]);

    const load = (until: Promise<unknown> | undefined, durationMs?: number): Promise<SteadyLoadResult> =>
      steadyLoad({ url: `${hangar.edgeUrl}/`, host: `${app}.localhost`, rps: RPS, keepAliveShare: 0.5, ...(until ? { until } : {}), ...(durationMs ? { durationMs } : {}) });
    const figures: ZeroDowntimeFigures[] = [];
    const record = (strategy: ZeroDowntimeFigures['strategy'], r: SteadyLoadResult, seconds: number, baselineP99: number) =>
      figures.push({ strategy, machines: MACHINES, requests: r.requests, failed: r.failed, p99Ms: r.p99Ms, p99Ratio: baselineP99 > 0 ? r.p99Ms / baselineP99 : 0, seconds, failures: r.failures });

    const baseline = await load(undefined, 10_000);
    record('baseline', baseline, 10, baseline.p99Ms);
    let image = images.b!.reference;
    for (const strategy of ['rolling', 'canary', 'bluegreen', 'immediate'] as const) {
      writeFileSync(join(dir, 'fly.toml'), toml(image, strategy));
      const started = Date.now();
      const deploy = cli(['deploy']);
      const result = await load(deploy);
      await deploy;
      record(strategy, result, (Date.now() - started) / 1000, baseline.p99Ms);
      image = image === images.a!.reference ? images.b!.reference : images.a!.reference;
    }
    return figures;
  } finally {
    await hangar.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
