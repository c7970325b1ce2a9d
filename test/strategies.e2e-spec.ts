import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  HangarProcesses,
  addFault,
  clearFaults,
  fleetFetch,
  fleetMachines,
  flyToml,
  holdLeases,
  pushTestImages,
  releasesOf,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type HangarE2e,
  type MachineStatus,
} from '@hangar/testing';

type TimelineEvent = { machine_id: string; type: string; status: string; timestamp: number };

/**
 * Issue 3, end to end through the CLI: canary, bluegreen, the release command, automatic rollback,
 * cancel and dry-run, checked against fleet's own record of what happened to each machine.
 */
describe('deploy engine (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  const repo = `eng-${uniqueSuffix()}`;
  let images: Record<string, string> = {};

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_engine', namespace: testNamespace('g'), fleetBootMs: 60, tmpPrefix: 'hangar-engine-' });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(repo, ['v1', 'v2', 'v3', 'bad', 'slow']);
  }, 120000);

  afterAll(async () => {
    await e2e?.stop();
  });

  afterEach(async () => {
    await clearFaults(hangar);
  });

  async function newApp(extraToml = ''): Promise<string> {
    const app = `eng-${uniqueSuffix()}`;
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    writeFileSync(join(dir, `${app}.toml`), flyToml(app, images.v1!, `\n[checks.alive]\ntype = "tcp"\nport = 8080\n${extraToml}`));
    return app;
  }

  const deploy = (app: string, ...args: string[]) => hangar.cli(['deploy', '-c', `${app}.toml`, ...args], { cwd: dir });

  const status = async (app: string): Promise<MachineStatus[]> => (await statusOf(hangar, app)).machines;

  async function timeline(app: string): Promise<TimelineEvent[]> {
    const res = await fleetFetch(hangar, `/fleet/v1/apps/${app}/timeline`);
    return ((await res.json()) as { events: TimelineEvent[] }).events;
  }

  it('canary on a single-machine app keeps one healthy machine serving at every moment', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    const [only] = await status(app);
    const since = Date.now();
    const r = await deploy(app, '-i', images.v2!, '--strategy', 'canary');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Deploying ${app} app with canary strategy`);
    expect(r.stdout).toContain('Creating canary machine for group app');
    expect(r.stdout).toMatch(/Canary machine [0-9a-f]{14} destroyed/);
    const after = await status(app);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: only!.id, releaseVersion: 2 });

    // From fleet's side: a machine serves from `start/started` until its next update, stop, exit or destroy.
    const serving = new Set<string>();
    let minServing = Number.POSITIVE_INFINITY;
    for (const e of await timeline(app)) {
      if (e.type === 'start' && e.status === 'started') serving.add(e.machine_id);
      else if (['update', 'stop', 'exit', 'destroy'].includes(e.type)) serving.delete(e.machine_id);
      if (e.timestamp >= since) minServing = Math.min(minServing, serving.size);
    }
    expect(minServing).toBeGreaterThanOrEqual(1);
  });

  it('bluegreen with an unhealthy green leaves the blues on the old release and no green behind', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    expect((await hangar.cli(['scale', 'count', '2', '-a', app])).code).toBe(0);
    const blues = (await status(app)).map((m) => m.id).sort();
    await addFault(hangar, { match: { image: images.bad }, effect: 'unhealthy' });
    const r = await deploy(app, '-i', images.bad!, '--strategy', 'bluegreen', '--wait-timeout', '2s');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Creating green machines');
    expect(r.stderr).toMatch(/Error: release v2 failed: /);
    const after = await status(app);
    expect(after.map((m) => m.id).sort()).toEqual(blues);
    expect(after.every((m) => m.releaseVersion === 1 && m.state === 'started' && m.image.includes(`${repo}:v1@`))).toBe(true);
    // Blues were never touched: no update, stop or destroy of them in fleet's record.
    const touched = (await timeline(app)).filter((e) => blues.includes(e.machine_id) && ['update', 'stop', 'destroy', 'cordon'].includes(e.type));
    expect(touched).toEqual([]);
  });

  it('a release command that exits 1 prints its log tail, exits 1 and touches no machine', async () => {
    const app = await newApp('\n[deploy]\nrelease_command = "bin/migrate --check"\n');
    await addFault(hangar, { match: { app, command: 'bin/migrate --check' }, effect: 'exit', code: 1, logs: ['migrating', 'ERROR: relation "users" does not exist'], times: 1 });
    const r = await deploy(app);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Running ${app} release_command: bin/migrate --check`);
    expect(r.stdout).toMatch(/Error release_command failed running on machine [0-9a-f]{14} with exit code 1\./);
    expect(r.stdout).toContain('  ERROR: relation "users" does not exist');
    expect(r.stderr).toContain('release command failed - aborting deployment');
    expect(await status(app)).toEqual([]);

    const ok = await deploy(app);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/release_command [0-9a-f]{14} completed successfully/);
    const machines = await status(app);
    expect(machines.length).toBeGreaterThan(0);
    // The release command's temporary machine is gone; it never counts as one of the app's machines.
    expect(machines.every((m) => m.managed && m.releaseVersion === 2)).toBe(true);
  });

  it('rolls back automatically after a failed rolling deploy: every updated machine back on the previous image, two releases recorded', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    expect((await hangar.cli(['scale', 'count', '3', '-a', app])).code).toBe(0);
    await addFault(hangar, { match: { image: images.bad }, effect: 'unhealthy', times: 2 });
    const r = await deploy(app, '-i', images.bad!, '--max-unavailable', '1', '--wait-timeout', '2s');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Rolling back: release v3 restores v1 (automatic rollback)');
    const releases = await releasesOf(hangar, app);
    expect(releases.slice(0, 2)).toEqual([
      expect.objectContaining({ version: 3, status: 'complete', trigger: 'rollback' }),
      expect.objectContaining({ version: 2, status: 'rolled_back' }),
    ]);
    const machines = await status(app);
    expect(machines).toHaveLength(3);
    expect(machines.every((m) => m.image.includes(`${repo}:v1@`))).toBe(true);
  });

  it('dry-run prints the plan and writes nothing; cancel takes a queued release out of the queue', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    const countEvents = `SELECT count(*)::int AS n FROM events WHERE type <> 'AuditCheckpointRecorded'`;
    const before = await pg.query(countEvents);
    const dry = await deploy(app, '-i', images.v2!, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: release v2');
    expect(dry.stdout).toMatch(/[0-9a-f]{14}\s+app\s+local\s+update\s+v1 → v2/);
    const after = await pg.query(countEvents);
    expect(after.rows[0].n).toBe(before.rows[0].n);

    // The test holds the machines' leases, so v2 keeps running (machine-updater retries a held
    // lease) until v3 has been queued and cancelled, however loaded the machine is.
    const releaseLeases = await holdLeases(hangar, app, (await status(app)).map((m) => m.id));
    try {
      expect((await deploy(app, '-i', images.slow!, '--detach')).code).toBe(0);
      const queued = await deploy(app, '-i', images.v3!, '--detach', '--json');
      expect(JSON.parse(queued.stdout).release).toMatchObject({ version: 3, status: 'queued' });
      const cancel = await hangar.cli(['releases', 'cancel', 'v3', '-a', app]);
      expect(cancel.code).toBe(0);
      expect(cancel.stdout).toContain('Release v3 cancelled');
    } finally {
      await releaseLeases();
    }
    const follow = await hangar.cli(['releases', 'show', 'v2', '-a', app, '--follow']);
    expect(follow.code).toBe(0);
    const releases = await releasesOf(hangar, app);
    expect(releases.find((x) => x.version === 3)?.status).toBe('cancelled');
    expect(releases.find((x) => x.version === 2)?.status).toBe('complete');
    expect((await status(app)).every((m) => m.image.includes(`${repo}:slow@`))).toBe(true);
  });

  it('volumes: adding [mounts] replaces machines onto volumes, a new destination keeps them, renames and silent detaches are refused', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    expect((await hangar.cli(['scale', 'count', '2', '-a', app])).code).toBe(0);
    const original = (await status(app)).map((m) => m.id).sort();
    const toml = (mounts: string) => writeFileSync(join(dir, `${app}.toml`), flyToml(app, images.v1!, `\n[checks.alive]\ntype = "tcp"\nport = 8080\n${mounts}`));

    toml('\n[mounts]\nsource = "data"\ndestination = "/data"\n');
    const short = await deploy(app);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('run `hangar volumes create data -r local -n 2`');
    expect((await status(app)).map((m) => m.id).sort()).toEqual(original);

    expect((await hangar.cli(['volumes', 'create', 'data', '-r', 'local', '-n', '2', '-a', app])).code).toBe(0);
    const added = await deploy(app);
    expect(added.code).toBe(0);
    const replaced = await status(app);
    expect(replaced).toHaveLength(2);
    expect(replaced.some((m) => original.includes(m.id))).toBe(false);
    const volumeOf = new Map(replaced.map((m) => [m.id, m.volume]));
    expect([...volumeOf.values()].every((v) => typeof v === 'string' && v.startsWith('vol_'))).toBe(true);

    toml('\n[mounts]\nsource = "data"\ndestination = "/var/data"\n');
    expect((await deploy(app)).code).toBe(0);
    const moved = await status(app);
    expect(moved.map((m) => [m.id, m.volume, m.mountPath]).sort()).toEqual([...volumeOf.entries()].map(([id, v]) => [id, v, '/var/data']).sort());

    toml('\n[mounts]\nsource = "other"\ndestination = "/var/data"\n');
    const renamed = await deploy(app);
    expect(renamed.code).toBe(2);
    for (const id of volumeOf.keys()) expect(renamed.stderr).toContain(`machine ${id} [app] can't update the attached volume`);

    toml('');
    const detach = await deploy(app);
    expect(detach.code).toBe(2);
    expect(detach.stderr).toContain('confirm with --yes');
    expect((await status(app)).map((m) => m.id).sort()).toEqual([...volumeOf.keys()].sort());
    const confirmed = await deploy(app, '--yes');
    expect(confirmed.code).toBe(0);
    const detached = await status(app);
    expect(detached).toHaveLength(2);
    expect(detached.every((m) => m.volume === undefined && !volumeOf.has(m.id))).toBe(true);
  });

  it('process groups: one machine per new group, --process-group rolls only that group, a removed group is destroyed', async () => {
    const app = `eng-${uniqueSuffix()}`;
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    const toml = (processes: string) => writeFileSync(join(dir, `${app}.toml`), flyToml(app, images.v1!, `\n[processes]\n${processes}`));
    toml('web = "bin/web"\nworker = "bin/worker --queue default"\n');
    expect((await deploy(app)).code).toBe(0);
    const first = await status(app);
    expect(first.map((m) => m.processGroup).sort()).toEqual(['web', 'worker']);

    const only = await deploy(app, '-i', images.v2!, '--process-group', 'web');
    expect(only.code).toBe(0);
    const rolled = await status(app);
    expect(rolled.find((m) => m.processGroup === 'web')).toMatchObject({ releaseVersion: 2 });
    expect(rolled.find((m) => m.processGroup === 'worker')).toMatchObject({ releaseVersion: 1 });

    toml('web = "bin/web"\n');
    expect((await deploy(app, '-i', images.v2!)).code).toBe(0);
    const after = await status(app);
    expect(after.map((m) => m.processGroup)).toEqual(['web']);
    const worker = first.find((m) => m.processGroup === 'worker')!;
    expect((await timeline(app)).some((e) => e.machine_id === worker.id && e.type === 'destroy')).toBe(true);
  });

  it('--release-command-timeout stops a release command that runs too long, before any machine changes', async () => {
    const app = await newApp('\n[deploy]\nrelease_command = "bin/slow-migrate"\n');
    await addFault(hangar, { match: { app, command: 'bin/slow-migrate' }, effect: 'exit', code: 0, delayMs: 10000, times: 1 });
    const r = await deploy(app, '--release-command-timeout', '1s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('release command timed out after 1s');
    expect(await status(app)).toEqual([]);
  });

  it('rollback --restore-secrets brings back the old secrets version; a plain rollback keeps the current secrets', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    expect((await hangar.cli(['secrets', 'set', 'GREETING=hello', '-a', app])).code).toBe(0);
    expect((await hangar.cli(['secrets', 'set', 'GREETING=goodbye', '-a', app])).code).toBe(0);
    const envOf = async () => (await fleetMachines(hangar, app)).map((m) => m.config.env?.GREETING);
    expect(new Set(await envOf())).toEqual(new Set(['goodbye']));
    const plain = await hangar.cli(['releases', 'rollback', 'v2', '-a', app]);
    expect(plain.code).toBe(0);
    expect(new Set(await envOf())).toEqual(new Set(['goodbye']));
    const restored = await hangar.cli(['releases', 'rollback', 'v2', '--restore-secrets', '-a', app]);
    expect(restored.code).toBe(0);
    expect(new Set(await envOf())).toEqual(new Set(['hello']));
  });
});
