import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { HttpMachinesApi, type Machine } from '@hangar/machines-api';
import { HangarProcesses, TEST_REGISTRY_HOST, TEST_REGISTRY_URL, buildMinimalImage, pushImage, uniqueSuffix } from '@hangar/testing';
import { MachineOperationExecutor } from '../apps/machine-updater/src/operations/machine-operation.executor';

export interface DeployFigures {
  strategy: 'immediate' | 'rolling';
  machines: number;
  concurrency: number;
  hangarSeconds: number;
  directSeconds: number;
  machinesPerSec: number;
  overheadMsPerMachine: number;
  ratio: number;
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function seconds(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * An `immediate` and a `rolling` deploy of `machines` sim machines (fleet boot 0) through Hangar's
 * services as processes, against the same machine operations run directly with machine-updater's
 * executor at the same concurrency: the difference is Hangar's orchestration overhead.
 */
export async function benchDeploys(databaseUrl: string, namespace: string, machines: number): Promise<DeployFigures[]> {
  const hangar = new HangarProcesses({ databaseUrl, namespace, fleetBootMs: 0 });
  await hangar.start();
  try {
    const repo = `bench-${uniqueSuffix()}`;
    const images: string[] = [];
    for (let i = 0; i < 4; i++) {
      await pushImage(TEST_REGISTRY_URL, repo, `v${i}`, buildMinimalImage());
      images.push(`${TEST_REGISTRY_HOST}/${repo}:v${i}`);
    }
    const app = `bench-${uniqueSuffix()}`;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${hangar.apiUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${hangar.adminToken}`, 'Content-Type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const configToml = `app = "${app}"\nprimary_region = "local"\n\n[checks.alive]\ntype = "tcp"\nport = 8080\n`;
    const deploy = async (image: string, strategy: string, maxUnavailable?: number): Promise<void> => {
      const { release } = await api<{ release: { version: number } }>('POST', `/v1/apps/${app}/deploys`, { configToml, image, strategy, ...(maxUnavailable ? { maxUnavailable } : {}) });
      for (;;) {
        const { release: r } = await api<{ release: { status: string; reason?: string } }>('GET', `/v1/apps/${app}/releases/v${release.version}`);
        if (r.status === 'complete') return;
        if (r.status === 'failed') throw new Error(`bench release failed: ${r.reason}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    await api('POST', '/v1/apps', { name: app });
    await deploy(images[0]!, 'immediate');
    const fleet = new HttpMachinesApi({ baseUrl: hangar.fleetUrl, token: hangar.fleetToken });
    const [first] = await fleet.list(app);
    await pool(Array.from({ length: machines - 1 }, (_, i) => i), 32, async (i) => {
      await fleet.create(app, { config: first!.config, region: first!.region }, `bench-seed-${i}`);
    });
    const executor = new MachineOperationExecutor(fleet);
    const direct = async (image: string, waitForHealth: boolean, concurrency: number): Promise<number> => {
      const all: Machine[] = await fleet.list(app);
      const releaseId = `direct-${uniqueSuffix()}`;
      const requests: MachineUpdateRequestedData[] = all.map((m) => ({
        app,
        key: `${releaseId}:${m.id}`,
        kind: 'update',
        machineId: m.id,
        releaseId,
        releaseVersion: 0,
        processGroup: 'app',
        region: m.region,
        config: { ...m.config, image, metadata: { ...m.config.metadata, fly_release_id: releaseId } },
        skipLaunch: false,
        waitForHealth,
        waitTimeoutMs: 60000,
      }));
      const hooks = { beforeMutation: async () => undefined };
      return seconds(async () => {
        const [spearhead, ...rest] = requests;
        if (waitForHealth) await executor.execute(spearhead!, hooks);
        await pool(waitForHealth ? rest : requests, concurrency, async (r) => {
          const result = await executor.execute(r, hooks);
          if (!result.ok) throw new Error(`direct update failed: ${result.reason}`);
        });
      });
    };

    const figures: DeployFigures[] = [];
    const directImmediate = await direct(images[1]!, false, 8);
    const hangarImmediate = await seconds(() => deploy(images[2]!, 'immediate'));
    figures.push(figure('immediate', machines, 8, hangarImmediate, directImmediate));
    const directRolling = await direct(images[1]!, true, 50);
    const hangarRolling = await seconds(() => deploy(images[3]!, 'rolling', 50));
    figures.push(figure('rolling', machines, 50, hangarRolling, directRolling));
    return figures;
  } finally {
    await hangar.stop();
  }
}

function figure(strategy: 'immediate' | 'rolling', machines: number, concurrency: number, hangarSeconds: number, directSeconds: number): DeployFigures {
  return {
    strategy,
    machines,
    concurrency,
    hangarSeconds,
    directSeconds,
    machinesPerSec: machines / hangarSeconds,
    overheadMsPerMachine: ((hangarSeconds - directSeconds) * 1000) / machines,
    ratio: hangarSeconds / directSeconds,
  };
}
