import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  HangarProcesses,
  cliJson,
  cliOk,
  flyToml,
  pushTestImages,
  releasesOf,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type CliResult,
  type HangarE2e,
  type MachineStatus,
} from '@hangar/testing';

const CLI_MAIN = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');

/**
 * Issue 3, items 4, 5 (volumes commands), 6 and 9 end to end through the CLI: IP addresses without
 * a release, machine clone/destroy, volumes, and legacy apps' migration to Apps V2.
 */
describe('hangar ips, machine clone, volumes and legacy apps (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let root: string;
  const repo = `extras-${uniqueSuffix()}`;
  let images: Record<string, string> = {};
  const app = `ex-${uniqueSuffix()}`;

  const toml = (name: string, image: string) => flyToml(name, image, '\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n');

  function appDir(name: string, image: string): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fly.toml'), toml(name, image));
    return dir;
  }

  const ok = (args: string[], opts?: { cwd?: string }) => cliOk(hangar, args, opts);
  const json = <T>(args: string[]) => cliJson<T>(hangar, args);
  const status = (name = app) => statusOf(hangar, name).then((s) => s.machines);
  const releases = (name = app) => releasesOf(hangar, name);

  async function eventsOf(name: string, types?: string[]): Promise<{ type: string; stream_id: string; data: Record<string, unknown> }[]> {
    const { rows } = await pg.query(
      `SELECT type, stream_id, data FROM events WHERE (data->>'app' = $1 OR stream_id = $2) AND ($3::text[] IS NULL OR type = ANY($3)) ORDER BY global_position`,
      [name, `app-${name}`, types ?? null],
    );
    return rows;
  }

  /** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `input`. */
  function cliOnTty(args: string[], cwd: string, input: string): Promise<CliResult> {
    const command = [process.execPath, CLI_MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return new Promise((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TERM: 'dumb', HANGAR_API_URL: hangar.apiUrl, HANGAR_API_TOKEN: hangar.adminToken },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let typed = false;
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (!typed && stdout.includes('[y/N]')) {
          typed = true;
          child.stdin.write(input);
        }
      });
      child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`hangar ${args.join(' ')} on a tty timed out:\n${stdout}`));
      }, 60000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr: '' });
      });
    });
  }

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_extras', namespace: testNamespace('x'), fleetBootMs: 50, tmpPrefix: 'hangar-e2e-extras-' });
    ({ pg, hangar, dir: root } = e2e);
    images = await pushTestImages(repo, ['v1', 'v2']);
    await ok(['apps', 'create', app]);
    await ok(['deploy'], { cwd: appDir(app, images.v1!) });
  }, 180000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('allocates and releases IP addresses without a release, never handing one out twice', async () => {
    const before = await releases();
    const machinesBefore = await status();
    const parallel = await Promise.all(Array.from({ length: 6 }, () => json<{ ip: { address: string; shared: boolean } }>(['ips', 'allocate-v4', '-a', app])));
    const dedicated = parallel.map((r) => r.ip.address);
    expect(new Set(dedicated).size).toBe(6);
    expect(dedicated.every((a) => /^192\.0\.2\.\d+$/.test(a) && a !== '192.0.2.1')).toBe(true);

    const shared = await ok(['ips', 'allocate-v4', '--shared', '-a', app]);
    expect(shared.stdout).toMatch(/^VERSION\s+IP\s+TYPE\s+CREATED AT$/m);
    expect(shared.stdout).toMatch(/^v4\s+192\.0\.2\.1\s+public \(shared\)/m);
    const v6 = await json<{ ip: { address: string } }>(['ips', 'allocate-v6', '-a', app]);
    expect(v6.ip.address).toBe('2001:db8::1');

    const released = await ok(['ips', 'release', dedicated[0]!, '-a', app]);
    expect(released.stdout).toContain(`Released ${dedicated[0]} from ${app}`);
    const { ips } = await json<{ ips: { address: string; type: string; shared: boolean }[] }>(['ips', 'list', '-a', app]);
    expect(ips.map((i) => i.address).sort()).toEqual([...dedicated.slice(1), '192.0.2.1', '2001:db8::1'].sort());
    const missing = await hangar.cli(['ips', 'release', dedicated[0]!, '-a', app]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`has no IP address ${dedicated[0]}`);

    expect(await releases()).toEqual(before);
    expect(await eventsOf(app, ['IpAllocated'])).toHaveLength(8);
    expect(await eventsOf(app, ['IpReleased'])).toHaveLength(1);
    expect((await status()).map((m) => [m.id, m.releaseVersion])).toEqual(machinesBefore.map((m) => [m.id, m.releaseVersion]));
  });

  it('clones a managed machine into a managed one the next deploy updates, and an unmanaged one into an unmanaged one', async () => {
    const [source] = (await status()).filter((m) => m.managed);
    const managedClone = (await json<{ machine: MachineStatus }>(['machine', 'clone', source!.id, '-a', app])).machine;
    expect(managedClone).toMatchObject({ managed: true, releaseVersion: 1, region: 'local' });
    const unmanaged = (await json<{ machine: MachineStatus }>(['machine', 'run', images.v1!, '-a', app])).machine;
    const text = await ok(['machine', 'clone', unmanaged.id, '-a', app]);
    expect(text.stdout).toContain(`Cloning machine ${unmanaged.id}`);
    const unmanagedCloneId = /Machine \S+ cloned to ([0-9a-f]{14}) \(unmanaged: deploys leave it alone\)/.exec(text.stdout)?.[1];
    expect(unmanagedCloneId).toBeDefined();
    const cloned = await eventsOf(app, ['MachineCloned']);
    expect(cloned.map((e) => [e.data.machineId, e.data.sourceId, e.data.managed])).toEqual([
      [managedClone.id, source!.id, true],
      [unmanagedCloneId, unmanaged.id, false],
    ]);

    const deploy = await ok(['deploy', '-i', images.v2!], { cwd: join(root, app) });
    expect(deploy.stdout).toContain(`Machine ${managedClone.id} update finished: success`);
    const after = await status();
    const byId = new Map(after.map((m) => [m.id, m]));
    expect(byId.get(source!.id)).toMatchObject({ managed: true, releaseVersion: 2 });
    expect(byId.get(managedClone.id)).toMatchObject({ managed: true, releaseVersion: 2 });
    for (const id of [unmanaged.id, unmanagedCloneId!]) {
      expect(byId.get(id)).toMatchObject({ managed: false, image: images.v1 });
      expect(byId.get(id)!.releaseVersion).toBeUndefined();
    }

    const refused = await hangar.cli(['machine', 'destroy', unmanagedCloneId!, '-a', app]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect((await ok(['machine', 'destroy', unmanagedCloneId!, '--force', '-a', app])).stdout).toContain(`Machine ${unmanagedCloneId} destroyed`);
    expect((await status()).some((m) => m.id === unmanagedCloneId)).toBe(false);
    expect(await eventsOf(app, ['MachineDestroyed'])).toEqual([expect.objectContaining({ stream_id: `machine-${unmanagedCloneId}`, data: expect.objectContaining({ managed: false }) })]);
  });

  it('creates and lists volumes; a machine with a volume shows it, a clone takes another one or names the command to make one', async () => {
    const created = await ok(['volumes', 'create', 'data', '-r', 'local', '-s', '2', '-n', '2', '-a', app]);
    expect(created.stdout.match(/^ {10}ID: vol_/gm)).toHaveLength(2);
    const { volumes } = await json<{ volumes: { id: string; name: string; sizeGb: number; attachedMachineId?: string }[] }>(['volumes', 'list', '-a', app]);
    expect(volumes).toHaveLength(2);
    expect(volumes.every((v) => v.name === 'data' && v.sizeGb === 2 && v.attachedMachineId === undefined)).toBe(true);
    expect(await eventsOf(app, ['VolumeCreated'])).toHaveLength(2);

    const withVolume = (await json<{ machine: MachineStatus }>(['machine', 'run', images.v1!, '-v', 'data:/data', '-a', app])).machine;
    const shown = (await status()).find((m) => m.id === withVolume.id)!;
    expect(shown.mountPath).toBe('/data');
    expect(volumes.map((v) => v.id)).toContain(shown.volume);

    const clone = (await json<{ machine: MachineStatus }>(['machine', 'clone', withVolume.id, '-a', app])).machine;
    expect(clone.mountPath).toBe('/data');
    expect(clone.volume).toBeDefined();
    expect(new Set([shown.volume, clone.volume]).size).toBe(2);
    const listed = await ok(['volumes', 'list', '-a', app]);
    expect(listed.stdout).toMatch(/^ID\s+STATE\s+NAME\s+SIZE\s+REGION\s+ATTACHED VM\s+CREATED AT$/m);
    expect(listed.stdout).toContain(withVolume.id);
    expect(listed.stdout).toContain(clone.id);

    const none = await hangar.cli(['machine', 'clone', withVolume.id, '-a', app]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('hangar volumes create data -r local');
  });

  it('leaves a legacy app untouched without confirmation, then migrates and deploys it with --yes', async () => {
    const legacy = `legacy-${uniqueSuffix()}`;
    await ok(['apps', 'create', legacy, '--machines']);
    const old = await Promise.all([0, 1].map(() => json<{ machine: MachineStatus }>(['machine', 'run', images.v1!, '-a', legacy]).then((r) => r.machine.id)));
    const dir = appDir(legacy, images.v2!);
    const eventsBefore = await eventsOf(legacy);
    const machinesBefore = await status(legacy);
    const question = `Migrate ${legacy} to Apps V2? This marks its 2 machines as managed by deploy.`;

    const refused = await hangar.cli(['deploy'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(question);
    expect(refused.stderr).toContain('--yes');
    const declined = await cliOnTty(['deploy'], dir, 'n\n');
    expect(declined.stdout).toContain(`${question} [y/N]`);
    expect(declined.stdout).toContain('Not migrating; nothing changed.');
    expect(declined.code).toBe(2);
    expect(await eventsOf(legacy)).toEqual(eventsBefore);
    const untouched = (ms: MachineStatus[]) => ms.map((m) => ({ id: m.id, managed: m.managed, image: m.image, releaseVersion: m.releaseVersion }));
    expect(untouched(await status(legacy))).toEqual(untouched(machinesBefore));
    expect(machinesBefore.every((m) => !m.managed)).toBe(true);

    const deploy = await ok(['deploy', '--yes'], { cwd: dir });
    expect(deploy.stdout).toContain('  Finished deploying');
    const migrated = await eventsOf(legacy, ['AppMigratedToV2', 'MachineAdopted', 'ReleaseEnqueued']);
    expect(migrated.map((e) => e.type)).toEqual(['MachineAdopted', 'MachineAdopted', 'AppMigratedToV2', 'ReleaseEnqueued']);
    expect([...(migrated[2]!.data.machineIds as string[])].sort()).toEqual([...old].sort());
    const after = await status(legacy);
    expect(after.map((m) => m.id).sort()).toEqual([...old].sort());
    expect(after.every((m) => m.managed && m.releaseVersion === 1 && m.image.includes(`${repo}:v2@sha256:`))).toBe(true);
    const { apps } = await json<{ apps: { name: string; platformVersion: string }[] }>(['apps', 'list']);
    expect(apps.find((a) => a.name === legacy)?.platformVersion).toBe('v2');
  });
});
