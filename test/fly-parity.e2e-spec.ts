import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HangarProcesses,
  addFault,
  clearFaults,
  fleetFetch,
  fleetMachines,
  flyToml,
  pushTestImages,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type HangarE2e,
} from '@hangar/testing';

type TimelineEvent = { machine_id: string; type: string; status: string; timestamp: number; request?: Record<string, unknown> };
type FleetVolume = { id: string; name: string; region: string; size_gb: number; attached_machine_id: string | null };

/**
 * Issue 14 (points 3, 9, 12) end to end on fleet answering as Fly does: a first deploy with
 * `[mounts]`, release commands whose exit is reported nested (fly-go's `MonitorEvent`) or not at all,
 * and bluegreen greens launched without service registration, checked from fleet's side.
 */
describe('Fly parity: volumes, release command outcome, bluegreen (e2e)', () => {
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  let dir: string;
  const repo = `parity-${uniqueSuffix()}`;
  let images: Record<string, string> = {};

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_parity', namespace: testNamespace('p'), fleetBootMs: 60, tmpPrefix: 'hangar-parity-' });
    ({ hangar, dir } = e2e);
    images = await pushTestImages(repo, ['v1', 'v2']);
  }, 120000);

  afterAll(async () => {
    await e2e?.stop();
  });

  afterEach(async () => {
    await clearFaults(hangar);
  });

  async function newApp(extraToml = ''): Promise<string> {
    const app = `par-${uniqueSuffix()}`;
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    writeFileSync(join(dir, `${app}.toml`), flyToml(app, images.v1!, extraToml));
    return app;
  }

  const deploy = (app: string, ...args: string[]) => hangar.cli(['deploy', '-c', `${app}.toml`, ...args], { cwd: dir });

  async function timeline(app: string): Promise<TimelineEvent[]> {
    const res = await fleetFetch(hangar, `/fleet/v1/apps/${app}/timeline`);
    return ((await res.json()) as { events: TimelineEvent[] }).events;
  }

  async function volumes(app: string): Promise<FleetVolume[]> {
    return (await (await fleetFetch(hangar, `/v1/apps/${app}/volumes`)).json()) as FleetVolume[];
  }

  it('a first deploy with [mounts] creates the volume and mounts it; the next deploy keeps that volume', async () => {
    const app = await newApp('\n[mounts]\nsource = "data"\ndestination = "/data"\ninitial_size = "2gb"\n');
    const first = await deploy(app);
    expect(first.code).toBe(0);
    const [vol, ...more] = await volumes(app);
    expect(more).toEqual([]);
    expect(vol).toMatchObject({ name: 'data', region: 'local', size_gb: 2 });
    const [m1, ...others] = await fleetMachines(hangar, app);
    expect(others).toEqual([]);
    expect(m1!.config.mounts).toEqual([expect.objectContaining({ volume: vol!.id, path: '/data' })]);
    expect(vol!.attached_machine_id).toBe(m1!.id);

    const second = await deploy(app, '-i', images.v2!);
    expect(second.code).toBe(0);
    expect((await volumes(app)).map((v) => v.id)).toEqual([vol!.id]);
    const [m2] = await fleetMachines(hangar, app);
    expect(m2).toMatchObject({ id: m1!.id, config: { mounts: [expect.objectContaining({ volume: vol!.id })] } });
    expect(m2!.config.image).toContain(`${repo}:v2@`);
  });

  it('a release command whose exit is reported only under MonitorEvent (as fly-go reads it) fails the deploy with its last lines, touching no machine', async () => {
    const app = await newApp('\n[deploy]\nrelease_command = "bin/migrate"\n');
    await addFault(hangar, { match: { app, command: 'bin/migrate' }, effect: 'exit-nested', code: 1, logs: ['migrating', 'ERROR: relation "users" does not exist'], times: 1 });
    const r = await deploy(app);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Error release_command failed running on machine [0-9a-f]{14} with exit code 1\./);
    expect(r.stdout).toContain('  ERROR: relation "users" does not exist');
    expect(r.stderr).toContain('release command failed - aborting deployment');
    expect((await statusOf(hangar, app)).machines).toEqual([]);
    // From fleet's side: the only machine ever made is the release command's, and its exit was nested.
    const exits = (await timeline(app)).filter((e) => e.type === 'exit');
    expect(exits).toEqual([expect.objectContaining({ request: { MonitorEvent: { exit_event: expect.objectContaining({ exit_code: 1 }) } } })]);
    expect(new Set((await timeline(app)).map((e) => e.machine_id)).size).toBe(1);
  });

  it('a release command machine that vanishes without an exit event fails the deploy with a clear reason, never as success', async () => {
    const app = await newApp('\n[deploy]\nrelease_command = "bin/migrate"\n');
    await addFault(hangar, { match: { app, command: 'bin/migrate' }, effect: 'vanish', times: 1 });
    const r = await deploy(app);
    expect(r.code).toBe(1);
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/release command machine [0-9a-f]{14} is destroyed without an exit event: its outcome is unknown/);
    expect(r.stdout).not.toContain('completed successfully');
    expect((await statusOf(hangar, app)).machines).toEqual([]);
  });

  it('bluegreen launches greens with skip_service_registration (never cordoned after the fact), uncordons them once healthy and completes', async () => {
    const app = await newApp('\n[checks.alive]\ntype = "tcp"\nport = 8080\n');
    expect((await deploy(app)).code).toBe(0);
    expect((await hangar.cli(['scale', 'count', '2', '-a', app])).code).toBe(0);
    const blues = (await statusOf(hangar, app)).machines.map((m) => m.id).sort();
    const r = await deploy(app, '-i', images.v2!, '--strategy', 'bluegreen');
    expect(r.code).toBe(0);
    const after = (await statusOf(hangar, app)).machines;
    expect(after).toHaveLength(2);
    expect(after.every((m) => !blues.includes(m.id) && m.releaseVersion === 2)).toBe(true);

    const events = await timeline(app);
    for (const green of after.map((m) => m.id)) {
      const own = events.filter((e) => e.machine_id === green);
      expect(own[0]).toMatchObject({ type: 'launch', request: { skip_service_registration: true } });
      expect(own.some((e) => e.type === 'cordon')).toBe(false);
      // Made routable only once it had started (and its checks passed, which the deploy waited for).
      const startedAt = own.find((e) => e.type === 'start' && e.status === 'started')!.timestamp;
      const uncordonAt = own.find((e) => e.type === 'uncordon')!.timestamp;
      expect(uncordonAt).toBeGreaterThanOrEqual(startedAt);
    }
  });
});
