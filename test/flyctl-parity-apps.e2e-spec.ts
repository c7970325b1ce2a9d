import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  HangarProcesses,
  cliJson,
  cliOk,
  fleetFetch,
  fleetMachines,
  flyToml,
  holdLeases,
  pushTestImages,
  releasesOf,
  settledRelease,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type CliResult,
  type HangarE2e,
} from '@hangar/testing';

const CLI_MAIN = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');

/**
 * Issue 15, the flyctl commands of this part, end to end through the CLI against running services:
 * `config show|save`, `apps show|destroy`, `secrets import`, each with its wrong-input case.
 */
describe('hangar config show|save, apps show|destroy, secrets import (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let root: string;
  let images: Record<string, string> = {};
  const app = `fp-${uniqueSuffix()}`;
  /** Secret values set in this file: none may show up in any output. */
  const canaries: string[] = [];
  const outputs: string[] = [];

  const canary = (label: string) => {
    const value = `${label}-${randomBytes(12).toString('hex')}`;
    canaries.push(value);
    return value;
  };
  const EXTRA = '\n[env]\nGREETING = "hello"\n\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n';

  function appDir(name: string, extra = EXTRA): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fly.toml'), flyToml(name, images.v1!, extra));
    return dir;
  }

  async function cli(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<CliResult> {
    const r = await hangar.cli(args, opts);
    outputs.push(r.stdout, r.stderr);
    return r;
  }

  async function eventsOf(name: string, types: string[]): Promise<{ type: string; stream_id: string; data: Record<string, unknown>; actor: string }[]> {
    const { rows } = await pg.query(
      `SELECT type, stream_id, data, metadata->>'actor' AS actor FROM events WHERE (data->>'app' = $1 OR stream_id = $2) AND type = ANY($3) ORDER BY global_position`,
      [name, `app-${name}`, types],
    );
    return rows;
  }

  /** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `input` at the `[y/N]` question. */
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
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_parity', namespace: testNamespace('fp'), fleetBootMs: 50, tmpPrefix: 'hangar-e2e-parity-' });
    ({ pg, hangar, dir: root } = e2e);
    images = await pushTestImages(`parity-${uniqueSuffix()}`, ['v1']);
    await cliOk(hangar, ['apps', 'create', app]);
    await cliOk(hangar, ['deploy'], { cwd: appDir(app) });
    await cliOk(hangar, ['secrets', 'set', `API_KEY=${canary('api-key')}`, '-a', app]);
  }, 180000);

  afterAll(async () => {
    await e2e?.stop();
  });

  afterAll(() => {
    // Whatever failed above, no secret value was ever printed (DESIGN G5).
    for (const c of canaries) expect(outputs.join('\n')).not.toContain(c);
  });

  describe('config show', () => {
    it('prints the config of the current release: the JSON config validate prints, as indented JSON, --json and --toml', async () => {
      const local = JSON.parse((await cliOk(hangar, ['config', 'validate', '--json'], { cwd: join(root, app) })).stdout);
      const current = await cliJson<{ app: string; release: { version: number; image: string }; config: Record<string, unknown> }>(hangar, ['config', 'show', '-a', app]);
      expect(current.app).toBe(app);
      expect(current.release.version).toBe((await releasesOf(hangar, app))[0]!.version);
      expect(current.release.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(current.config).toEqual(local);

      const shown = await cli(['config', 'show'], { cwd: join(root, app) });
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('\n  "app": ');
      expect(JSON.parse(shown.stdout)).toEqual(local);

      const toml = await cli(['config', 'show', '--toml', '-a', app]);
      expect(toml.stdout).toContain(`app = "${app}"`);
      expect(toml.stdout).toContain('[checks.alive]');
    });

    it('never shows a secret value: the release delivering API_KEY has it in no config output', async () => {
      expect((await releasesOf(hangar, app))[0]).toMatchObject({ trigger: 'secrets', status: 'complete' });
      const all = await Promise.all([cli(['config', 'show', '-a', app]), cli(['config', 'show', '--json', '-a', app]), cli(['config', 'show', '--toml', '-a', app])]);
      for (const r of all) {
        expect(r.code).toBe(0);
        expect(r.stdout).not.toContain('API_KEY');
      }
    });

    it('refuses an unknown app (exit 2) and an app with no release yet (exit 2), saying why', async () => {
      const unknown = await cli(['config', 'show', '-a', `nope-${uniqueSuffix()}`]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/Error: app 'nope-[a-z0-9-]+' not found|Error: app nope-[a-z0-9-]+ not found/);
      const empty = `empty-${uniqueSuffix()}`;
      await cliOk(hangar, ['apps', 'create', empty]);
      const none = await cli(['config', 'show', '-a', empty]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain(`Error: app ${empty} has no complete release yet`);
    });
  });

  describe('config save', () => {
    it('writes fly.toml that validates to the current config; an existing file is overwritten only with --yes', async () => {
      const dir = join(root, 'saved');
      mkdirSync(dir, { recursive: true });
      const first = await cli(['config', 'save', '-a', app], { cwd: dir });
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`Wrote config file ${join(dir, 'fly.toml')}\n`);
      const saved = JSON.parse((await cliOk(hangar, ['config', 'validate', '--json'], { cwd: dir })).stdout);
      expect(saved).toEqual((await cliJson<{ config: unknown }>(hangar, ['config', 'show', '-a', app])).config);
      expect(readFileSync(join(dir, 'fly.toml'), 'utf8')).toMatch(/^# fly\.toml app configuration file generated for .* from release v\d+ by `hangar config save`\n/);

      writeFileSync(join(dir, 'fly.toml'), `app = "${app}"\n# edited by hand\n`);
      const refused = await cli(['config', 'save'], { cwd: dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('fly.toml exists: --yes must be given to overwrite it when not running interactively; nothing was written');
      expect(readFileSync(join(dir, 'fly.toml'), 'utf8')).toContain('# edited by hand');

      const forced = await cliJson<{ path: string; app: string; release: { version: number } }>(hangar, ['config', 'save', '--yes'], { cwd: dir });
      expect(forced).toMatchObject({ path: join(dir, 'fly.toml'), app });
      expect(readFileSync(join(dir, 'fly.toml'), 'utf8')).not.toContain('# edited by hand');
    });

    it('writes into a directory given with -c, and refuses an unknown app without writing anything', async () => {
      const dir = join(root, 'saved-dir');
      mkdirSync(dir, { recursive: true });
      await cliOk(hangar, ['config', 'save', '-a', app, '-c', dir]);
      expect(readFileSync(join(dir, 'fly.toml'), 'utf8')).toContain(`app = "${app}"`);
      const unknown = await cli(['config', 'save', '-a', `nope-${uniqueSuffix()}`, '-c', join(root, 'never.toml')]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('not found');
    });
  });

  describe('apps show', () => {
    it('shows name, hostname, status, current release, image and machine counts, like fly status', async () => {
      const machines = (await statusOf(hangar, app)).machines;
      const { app: shown } = await cliJson<{ app: Record<string, any> }>(hangar, ['apps', 'show', '-a', app]);
      const current = (await releasesOf(hangar, app))[0]!;
      expect(shown).toMatchObject({
        name: app,
        hostname: `${app}.localhost`,
        platformVersion: 'v2',
        status: 'deployed',
        currentRelease: { version: current.version },
        image: current.image,
        machines: { total: machines.length, managed: machines.length, unmanaged: 0, byState: { started: machines.length } },
      });
      const human = await cli(['apps', 'show', app]);
      expect(human.stdout.split('\n').slice(0, 6)).toEqual([
        'App',
        `  Name            = ${app}`,
        `  Hostname        = ${app}.localhost`,
        '  Platform        = v2',
        '  Status          = deployed',
        `  Current release = v${current.version}`,
      ]);
      expect(human.stdout).toContain(`  Machines        = ${machines.length} (${machines.length} started; ${machines.length} managed, 0 unmanaged)`);
    });

    it('refuses an unknown app with exit 2', async () => {
      const r = await cli(['apps', 'show', '-a', `nope-${uniqueSuffix()}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not found');
    });
  });

  describe('secrets import', () => {
    it('sets every NAME=VALUE line of stdin as one secrets version and one release, skipping comments and blank lines', async () => {
      const before = (await releasesOf(hangar, app))[0]!.version;
      const versionBefore = (await cliJson<{ version: number }>(hangar, ['secrets', 'list', '-a', app])).version;
      const db = canary('db');
      const token = canary('token');
      const pem = `-----BEGIN KEY-----\n${canary('pem')}\n\n-----END KEY-----`;
      const input = `# exported from the old platform\n\nDATABASE_URL=${db}\nTOKEN = "${token}"\n   # indented comment\nTLS_KEY="""${pem}"""\r\n`;
      const r = await cli(['secrets', 'import', '-a', app], { input });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Secrets are set (version ${versionBefore + 1})`);
      expect(r.stdout).toContain(`Release v${before + 1} (trigger secrets) delivers secrets version ${versionBefore + 1}`);
      expect(r.stdout).toContain('  Finished deploying');
      const releases = await releasesOf(hangar, app);
      expect(releases.filter((x) => x.version > before)).toHaveLength(1);
      const { secrets, version } = await cliJson<{ version: number; secrets: { name: string; status: string }[] }>(hangar, ['secrets', 'list', '-a', app]);
      expect(version).toBe(versionBefore + 1);
      expect(secrets.map((s) => s.name)).toEqual(['API_KEY', 'DATABASE_URL', 'TLS_KEY', 'TOKEN']);
      const live = (await fleetMachines(hangar, app)).filter((m) => m.state !== 'destroyed');
      for (const m of live) expect(m.config.env).toMatchObject({ DATABASE_URL: db, TOKEN: token, TLS_KEY: pem });
      const updated = await eventsOf(app, ['SecretsUpdated']);
      expect(updated.at(-1)!.data).toMatchObject({ version: versionBefore + 1, staged: false });
    });

    it('--stage stores the import without a release, until secrets deploy', async () => {
      const before = (await releasesOf(hangar, app))[0]!.version;
      const r = await cli(['secrets', 'import', '--stage', '--json', '-a', app], { input: `STAGED_ONE=${canary('staged')}\n` });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).secrets).toMatchObject({ release: 'staged' });
      expect((await releasesOf(hangar, app))[0]!.version).toBe(before);
      await cliOk(hangar, ['secrets', 'deploy', '-a', app]);
      expect((await releasesOf(hangar, app))[0]).toMatchObject({ version: before + 1, trigger: 'secrets', status: 'complete' });
    });

    it('refuses input with a bad line, naming its line number and never its text, and sets nothing (exit 2)', async () => {
      const versionBefore = (await cliJson<{ version: number }>(hangar, ['secrets', 'list', '-a', app])).version;
      const hidden = canary('no-equals');
      const r = await cli(['secrets', 'import', '-a', app], { input: `GOOD=${canary('good')}\n\n${hidden}\nlower=${canary('lower')}\n` });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Error: secrets import: nothing was set; fix stdin:');
      expect(r.stderr).toContain('stdin line 3: expected NAME=VALUE, but the line has no "="');
      expect(r.stderr).toContain('stdin line 4: the text before "=" is not a secret name');
      expect((await cliJson<{ version: number }>(hangar, ['secrets', 'list', '-a', app])).version).toBe(versionBefore);

      const empty = await cli(['secrets', 'import', '-a', app], { input: '# nothing\n' });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('no NAME=VALUE line on stdin');
      const unknown = await cli(['secrets', 'import', '-a', `nope-${uniqueSuffix()}`], { input: `A=${canary('unknown-app')}\n` });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('not found');
    });
  });

  describe('apps destroy', () => {
    const doomed = `doom-${uniqueSuffix()}`;
    let dir: string;

    beforeAll(async () => {
      await cliOk(hangar, ['apps', 'create', doomed]);
      await cliOk(hangar, ['volumes', 'create', 'data', '-r', 'local', '-n', '2', '-a', doomed]);
      dir = appDir(doomed);
      await cliOk(hangar, ['deploy'], { cwd: dir });
      // Adding [mounts] moves the machine onto a volume (a first deploy cannot create machines on volumes yet).
      writeFileSync(join(dir, 'fly.toml'), flyToml(doomed, images.v1!, `${EXTRA}\n[mounts]\nsource = "data"\ndestination = "/data"\n`));
      await cliOk(hangar, ['deploy'], { cwd: dir });
      await cliOk(hangar, ['machine', 'run', images.v1!, '-a', doomed]);
      await cliOk(hangar, ['ips', 'allocate-v4', '-a', doomed]);
    }, 120000);

    const live = async () => (await fleetMachines(hangar, doomed)).filter((m) => m.state !== 'destroyed');

    it('refuses an unknown app, and without --yes when not on a terminal, changing nothing (exit 2)', async () => {
      const unknown = await cli(['apps', 'destroy', `nope-${uniqueSuffix()}`, '--yes']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/Error: app .*nope-.* not found/);

      const before = await live();
      const noTty = await cli(['apps', 'destroy', doomed]);
      expect(noTty.code).toBe(2);
      expect(noTty.stderr).toContain(`Destroying an app is not reversible: its ${before.length} machine(s) and 2 volume(s)`);
      expect(noTty.stderr).toContain('--yes must be given when not running interactively; nothing was destroyed');
      expect(await live()).toHaveLength(before.length);
      expect(await eventsOf(doomed, ['AppDestroyed'])).toEqual([]);
    });

    it('asks on a terminal, and a "n" changes nothing', async () => {
      const r = await cliOnTty(['apps', 'destroy', doomed], dir, 'n\n');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Destroy app ${doomed}? [y/N]`);
      expect(r.stdout).toContain(`Not destroying ${doomed}; nothing changed.`);
      expect(await eventsOf(doomed, ['AppDestroyed'])).toEqual([]);
    });

    it('refuses while a release is in flight (exit 2), naming it', async () => {
      const managed = (await statusOf(hangar, doomed)).machines.filter((m) => m.managed).map((m) => m.id);
      const release = await holdLeases(hangar, doomed, managed);
      let version = 0;
      try {
        version = JSON.parse((await cliOk(hangar, ['deploy', '--detach', '--json'], { cwd: dir })).stdout).release.version;
        const busy = await cli(['apps', 'destroy', doomed, '--yes']);
        expect(busy.code).toBe(2);
        expect(busy.stderr).toContain(`Error: app ${doomed} has releases in flight (v${version})`);
      } finally {
        await release();
      }
      await settledRelease(hangar, doomed, version);
      expect(await eventsOf(doomed, ['AppDestroyed'])).toEqual([]);
    });

    it('destroys every machine and volume, gives its addresses back and keeps the history', async () => {
      const machines = await live();
      expect(machines.length).toBeGreaterThanOrEqual(2);
      const r = await cliJson<{ destroyed: { app: string; machines: { id: string; managed: boolean }[]; volumes: { id: string }[]; ipsReleased: string[]; teardown: string } }>(hangar, [
        'apps',
        'destroy',
        doomed,
        '--yes',
      ]);
      expect(r.destroyed).toMatchObject({ app: doomed, teardown: 'complete' });
      expect(r.destroyed.machines.map((m) => m.id).sort()).toEqual(machines.map((m) => m.id).sort());
      expect(r.destroyed.machines.filter((m) => !m.managed)).toHaveLength(1);
      expect(r.destroyed.volumes).toHaveLength(2);
      expect(r.destroyed.ipsReleased).toHaveLength(1);

      expect(await live()).toEqual([]);
      const volumes = (await (await fleetFetch(hangar, `/v1/apps/${doomed}/volumes`)).json()) as unknown[];
      expect(volumes).toEqual([]);

      const events = await eventsOf(doomed, ['AppDestroyed', 'MachineDestroyed', 'VolumeDestroyed', 'IpReleased']);
      expect(events.filter((e) => e.type === 'AppDestroyed')).toEqual([expect.objectContaining({ stream_id: `app-${doomed}`, actor: 'admin' })]);
      expect(events.filter((e) => e.type === 'MachineDestroyed').map((e) => e.data.machineId).sort()).toEqual(machines.map((m) => m.id).sort());
      expect(events.filter((e) => e.type === 'MachineDestroyed').every((e) => e.actor === 'admin' && e.data.reason === 'app-destroyed')).toBe(true);
      expect(events.filter((e) => e.type === 'VolumeDestroyed')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'IpReleased')).toHaveLength(1);
      // The history stays: its releases and its audit trail.
      expect((await releasesOf(hangar, doomed)).length).toBeGreaterThanOrEqual(2);
      expect((await cliOk(hangar, ['audit', '-a', doomed, '-t', 'AppDestroyed'])).stdout).toContain('AppDestroyed');
    });

    it('leaves the name unusable: no show, deploy, new app or second destroy (exit 2), and no longer listed', async () => {
      const { apps } = await cliJson<{ apps: { name: string }[] }>(hangar, ['apps', 'list']);
      expect(apps.map((a) => a.name)).toContain(app);
      expect(apps.map((a) => a.name)).not.toContain(doomed);
      for (const [args, cwd] of [[['apps', 'show', doomed]], [['deploy'], dir], [['apps', 'destroy', doomed, '--yes']], [['secrets', 'import', '-a', doomed]]] as [string[], string?][]) {
        const r = await cli(args, { ...(cwd ? { cwd } : {}), input: 'A=1\n' });
        expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
        expect(r.stderr).toContain(`${doomed} was destroyed at`);
      }
      const recreate = await cli(['apps', 'create', doomed]);
      expect(recreate.code).toBe(2);
      expect(recreate.stderr).toContain('the names of destroyed apps are not used again');
    });
  });
});
