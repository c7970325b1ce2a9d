import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  HangarProcesses,
  addFault,
  clearFaults,
  flyToml,
  holdLeases,
  pushTestImages,
  releasesOf,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
} from '@hangar/testing';

/**
 * Issue 2 acceptance, end to end: the services as separate processes plus fleet, driven through
 * the `hangar` CLI, checked against the event store and fleet's own record.
 */
describe('hangar deploy (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  const repo = `e2e-${uniqueSuffix()}`;
  let images: Record<string, string> = {};

  const app = `e2e-${uniqueSuffix()}`;

  function writeToml(body: string, name = 'fly.toml'): string {
    writeFileSync(join(dir, name), body);
    return name;
  }

  const baseToml = (image: string) => flyToml(app, image, '\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n');
  const status = () => statusOf(hangar, app);

  async function events(types: string[], releaseVersion?: number): Promise<{ type: string; stream_id: string; data: Record<string, unknown>; recorded_at: Date; global_position: string }[]> {
    const { rows } = await pg.query(
      `SELECT type, stream_id, data, recorded_at, global_position FROM events WHERE type = ANY($1) AND data->>'app' = $2 ORDER BY global_position`,
      [types, app],
    );
    if (releaseVersion === undefined) return rows;
    const rel = await pg.query(`SELECT data->>'releaseId' AS id FROM events WHERE type = 'ReleaseQueued' AND data->>'app' = $1 AND (data->>'version')::int = $2`, [app, releaseVersion]);
    const id = rel.rows[0]?.id;
    return rows.filter((r) => r.data.releaseId === id);
  }

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e', namespace: testNamespace('e'), fleetBootMs: 50 });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(repo, ['v1', 'v2', 'v3', 'bad', 'slow', 'v4']);
  }, 120000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('creates an app, deploys it, scales it to 5 and leaves an unmanaged machine alone', async () => {
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    writeToml(baseToml(images.v1!));
    const first = await hangar.cli(['deploy'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Searching for image '${images.v1}' remotely...`);
    expect(first.stdout).toMatch(/image found: img_[0-9a-z]{16}/);
    expect(first.stdout).toContain(`Deploying ${app} app with rolling strategy`);
    expect(first.stdout).toContain('  Finished deploying');

    const scaled = await hangar.cli(['scale', 'count', '5', '-a', app]);
    expect(scaled.code).toBe(0);
    const run = await hangar.cli(['machine', 'run', images.v1!, '-a', app, '--json']);
    expect(run.code).toBe(0);
    const s = await status();
    expect(s.machines.filter((m) => m.managed)).toHaveLength(5);
    expect(s.machines.filter((m) => !m.managed)).toHaveLength(1);
    expect(s.machines.filter((m) => m.managed).every((m) => m.releaseVersion === 1 && m.state === 'started')).toBe(true);
  });

  it('rolls a new image with max_unavailable 1: every machine once, one at a time, each healthy before the next', async () => {
    const before = await status();
    const unmanaged = before.machines.find((m) => !m.managed)!;
    const deploy = await hangar.cli(['deploy', '-i', images.v2!, '--strategy', 'rolling', '--max-unavailable', '1'], { cwd: dir });
    expect(deploy.code).toBe(0);
    expect(deploy.stdout.match(/update finished: success/g)).toHaveLength(5);

    const updates = await events(['MachineUpdateStarted', 'MachineUpdated'], 2);
    const perMachine = new Map<string, { started: number; done: number; count: number }>();
    for (const e of updates) {
      const id = e.stream_id.replace(/^machine-/, '');
      const entry = perMachine.get(id) ?? { started: 0, done: 0, count: 0 };
      if (e.type === 'MachineUpdateStarted') {
        entry.started = Number(e.global_position);
        entry.count += 1;
      } else entry.done = Number(e.global_position);
      perMachine.set(id, entry);
    }
    expect(perMachine.size).toBe(5);
    expect([...perMachine.values()].every((m) => m.count === 1)).toBe(true);
    const intervals = [...perMachine.values()].sort((a, b) => a.started - b.started);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]!.started).toBeGreaterThan(intervals[i - 1]!.done);
    expect(perMachine.has(unmanaged.id)).toBe(false);

    const after = await status();
    expect(after.machines.filter((m) => m.managed).every((m) => m.releaseVersion === 2 && m.image.includes(`${repo}:v2@sha256:`))).toBe(true);
    const untouched = after.machines.find((m) => m.id === unmanaged.id)!;
    expect(untouched).toMatchObject({ managed: false, image: unmanaged.image });
    expect(untouched.releaseVersion).toBeUndefined();
  });

  it('updates every managed machine at once with immediate, and still not the unmanaged one', async () => {
    const unmanaged = (await status()).machines.find((m) => !m.managed)!;
    const deploy = await hangar.cli(['deploy', '-i', images.v3!, '--strategy', 'immediate'], { cwd: dir });
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain(`Deploying ${app} app with immediate strategy`);
    const after = await status();
    expect(after.machines.filter((m) => m.managed).every((m) => m.releaseVersion === 3)).toBe(true);
    expect(after.machines.find((m) => m.id === unmanaged.id)!.image).toBe(unmanaged.image);
    const started = await events(['MachineUpdateStarted'], 3);
    expect(new Set(started.map((e) => e.stream_id)).size).toBe(5);
    expect(started.some((e) => e.stream_id === `machine-${unmanaged.id}`)).toBe(false);
  });

  it('fails the release when the new image is unhealthy: exit 1, a failed line, the rest untouched', async () => {
    await addFault(hangar, { match: { image: images.bad }, effect: 'unhealthy' });
    const deploy = await hangar.cli(['deploy', '-i', images.bad!, '--max-unavailable', '1', '--wait-timeout', '2s'], { cwd: dir });
    expect(deploy.code).toBe(1);
    expect(deploy.stdout).toMatch(/Machine [0-9a-f]{14} update finished: failed: /);
    expect(deploy.stderr).toMatch(/^Error: release v4 failed: /m);
    // Only the first machine was touched by v4; the other four never were.
    const v4 = await events(['MachineUpdateStarted'], 4);
    expect(v4).toHaveLength(1);
    // auto_rollback (default on) then put the one updated machine back: v5 restores v3.
    expect(deploy.stdout).toContain('Rolling back: release v5 restores v3 (automatic rollback)');
    const after = await status();
    const managed = after.machines.filter((m) => m.managed);
    expect(managed.every((m) => m.image.includes(`${repo}:v3@`))).toBe(true);
    expect(managed.filter((m) => m.releaseVersion === 3)).toHaveLength(4);
    const releases = await releasesOf(hangar, app);
    expect(releases[0]).toMatchObject({ version: 5, status: 'complete', trigger: 'rollback' });
    expect(releases[1]).toMatchObject({ version: 4, status: 'rolled_back' });
    await clearFaults(hangar);
  });

  it('rejects an invalid fly.toml with exit 2 and file:line, and changes nothing', async () => {
    const before = await pg.query('SELECT count(*)::int AS n FROM events');
    const bad = writeToml(`app = "${app}"\n\n[deploy]\nstrategy = "blue-green"\n`, 'bad.toml');
    const deploy = await hangar.cli(['deploy', '-c', bad, '-i', images.v3!], { cwd: dir });
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toContain('bad.toml:4: [deploy].strategy must be one of rolling, immediate, canary, bluegreen; got "blue-green"');
    const after = await pg.query('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('queues a second deploy while one runs, then runs it', async () => {
    // The test holds every managed machine's lease, as another deployer would, so v6 cannot finish
    // (machine-updater retries a held lease) until the test lets it: v7 is queued behind it whatever
    // the machine's load.
    const managed = (await status()).machines.filter((m) => m.managed).map((m) => m.id);
    const releaseLeases = await holdLeases(hangar, app, managed);
    let held = true;
    try {
      const first = await hangar.cli(['deploy', '-i', images.slow!, '--detach', '--json'], { cwd: dir });
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout).release).toMatchObject({ version: 6, status: 'running' });
      const second = hangar.cli(['deploy', '-i', images.v4!], { cwd: dir });
      await waitFor(hangar, 'v7 queued behind v6', async () => {
        const releases = await releasesOf(hangar, app);
        return releases.find((r) => r.version === 7) && releases.find((r) => r.version === 6)?.status === 'running';
      });
      await releaseLeases();
      held = false;
      const result = await second;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Release v7 is queued behind the release running on');
      expect(result.stdout).toContain('  Finished deploying');
    } finally {
      if (held) await releaseLeases();
    }
    const releases = await releasesOf(hangar, app);
    const v6 = releases.find((r) => r.version === 6)!;
    const v7 = releases.find((r) => r.version === 7)!;
    expect(v6.status).toBe('complete');
    expect(v7.status).toBe('complete');
    const starts = await pg.query(`SELECT data->>'releaseId' AS id, global_position FROM events WHERE type IN ('AppLockAcquired','AppLockReleased') AND stream_id = $1 ORDER BY global_position`, [`app-${app}`]);
    const order = starts.rows.map((r) => r.id);
    expect(order.indexOf(v7.id)).toBeGreaterThan(order.lastIndexOf(v6.id));
  });
});
