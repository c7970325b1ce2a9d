import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import type { Client } from 'pg';
import { commandSubject, type ReleaseSummary } from '@hangar/contracts';
import {
  HangarProcesses,
  addFault,
  apiRequest,
  clearFaults,
  cliJson,
  cliOk,
  fleetFetch,
  fleetMachines,
  flyToml,
  natsCommand,
  natsPublisher,
  pushTestImages,
  releasesOf,
  settledRelease,
  statusOf,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
  startHangarE2e,
} from '@hangar/testing';

const CHECKS = '\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n';

/**
 * Issue 15, `hangar deploy` flags flyctl has: `--env`, `--image-label`, `--skip-release-command`,
 * `--update-only`, `--ha`, `--lease-timeout` and the machine filters, end to end against running
 * services and fleet (sim), through the CLI, the HTTP API and the NATS command; each with a wrong
 * input that is refused with exit 2 (or REQUEST.INVALID) and changes nothing.
 */
describe('hangar deploy: flyctl’s flags (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  let nc: NatsConnection | undefined;
  let images: Record<string, string> = {};
  const ns = testNamespace('fl');
  const app = `fl-${uniqueSuffix()}`;
  /** The main app's managed machines: a and b in `local`, c in `ams`, sorted by id within a region. */
  let a: string;
  let b: string;
  let c: string;

  function writeToml(name: string, text: string): void {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'fly.toml'), text);
  }

  const deploy = (name: string, ...args: string[]) => hangar.cli(['deploy', ...args], { cwd: join(dir, name) });
  const releases = (name = app) => releasesOf(hangar, name);
  const latest = async (name = app) => (await releases(name))[0]!;
  const show = async (version: number, name = app) => (await cliJson<{ release: ReleaseSummary }>(hangar, ['releases', 'show', `v${version}`, '-a', name])).release;
  /** Each managed machine's release version, by id. */
  async function versions(name = app): Promise<Record<string, number | undefined>> {
    const { machines } = await statusOf(hangar, name);
    return Object.fromEntries(machines.filter((m) => m.managed).map((m) => [m.id, m.releaseVersion]));
  }
  async function envOf(id: string, name = app): Promise<Record<string, string>> {
    return (await fleetMachines(hangar, name)).find((m) => m.id === id)?.config.env ?? {};
  }
  async function releaseEvents(releaseId: string, type: string): Promise<Record<string, unknown>[]> {
    const { rows } = await pg.query(`SELECT data FROM events WHERE stream_id = $1 AND type = $2 ORDER BY stream_position`, [`release-${releaseId}`, type]);
    return rows.map((r: { data: Record<string, unknown> }) => r.data);
  }
  /** Runs `wrong`, which must be refused with exit 2 and `message` on stderr, and checks no release was queued. */
  async function refused(name: string, args: string[], message: string): Promise<void> {
    const before = (await releases(name)).length;
    const r = await deploy(name, ...args);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(message) });
    expect(await releases(name)).toHaveLength(before);
  }

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_flags', namespace: ns, fleetBootMs: 50, tmpPrefix: 'hangar-e2e-flags-', nats: { publishers: ['ci'] } });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(`flags-${uniqueSuffix()}`, ['v1', 'v2', 'v3']);
    await cliOk(hangar, ['apps', 'create', app]);
    writeToml(app, flyToml(app, images.v1!, `\n[env]\nGREETING = "hello"\n${CHECKS}`));
    await cliOk(hangar, ['deploy'], { cwd: join(dir, app) });
    const [first] = Object.keys(await versions());
    await cliOk(hangar, ['machine', 'clone', first!, '-a', app]);
    await cliOk(hangar, ['machine', 'clone', first!, '-r', 'ams', '-a', app]);
    const { machines } = await statusOf(hangar, app);
    [a, b] = machines.filter((m) => m.region === 'local').map((m) => m.id).sort();
    c = machines.find((m) => m.region === 'ams')!.id;
    expect([a, b, c].every(Boolean)).toBe(true);
  }, 240000);

  afterAll(async () => {
    await nc?.close();
    await e2e?.stop();
  });

  afterEach(async () => {
    await clearFaults(hangar);
  });

  it('--only-machines updates only that machine and leaves the others on their release; flyctl’s N/M line; recorded in the release', async () => {
    const before = await versions();
    const r = await deploy(app, '--only-machines', a);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--only-machines filter applied, deploying to 1/3 machines');
    const { version } = await latest();
    expect(await versions()).toEqual({ ...before, [a]: version });
    const shown = await show(version);
    expect(shown).toMatchObject({ status: 'complete', options: { onlyMachines: [a] }, filters: { applied: ['--only-machines'], selected: 1, total: 3 }, machines: { total: 1, succeeded: 1, failed: 0 } });
    const text = await cliOk(hangar, ['releases', 'show', `v${version}`, '-a', app]);
    expect(text.stdout).toMatch(new RegExp(`^Flags:\\s+--only-machines ${a}$`, 'm'));
    expect(text.stdout).toMatch(/^Filtered:\s+--only-machines: deploying to 1\/3 machines$/m);
  });

  it('--exclude-machines, --regions (alias --only-regions) and --exclude-regions pick the machines flyctl would', async () => {
    const excluded = await deploy(app, '--exclude-machines', a);
    expect(excluded.code).toBe(0);
    expect(excluded.stderr).toContain('--exclude-machines filter applied, deploying to 2/3 machines');
    let v = (await latest()).version;
    expect((await versions())[a]).not.toBe(v);
    expect([(await versions())[b], (await versions())[c]]).toEqual([v, v]);

    const before = await versions();
    const onlyAms = await deploy(app, '--only-regions', 'ams');
    expect(onlyAms.stderr).toContain('--regions filter applied, deploying to 1/3 machines');
    v = (await latest()).version;
    expect(await versions()).toEqual({ ...before, [c]: v });
    expect((await show(v)).options).toEqual({ onlyRegions: ['ams'] });

    const notAms = await deploy(app, '--exclude-regions', 'ams', '--regions', 'local,ams');
    expect(notAms.stderr).toContain('--regions/--exclude-regions filters applied, deploying to 2/3 machines');
    v = (await latest()).version;
    expect(await versions()).toEqual({ [a]: v, [b]: v, [c]: v - 1 });

    // --dry-run plans with the same filters and writes nothing.
    const count = (await releases()).length;
    const dry = await deploy(app, '--dry-run', '--regions', 'ams');
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('--regions filter applied, deploying to 1/3 machines');
    expect(dry.stdout).toMatch(new RegExp(`${c}\\s+app\\s+ams\\s+update`));
    expect(dry.stdout).toMatch(new RegExp(`${a}\\s+app\\s+local\\s+skip`));
    expect(await releases()).toHaveLength(count);
  });

  it('a filter naming no machine deploys to 0/M machines as flyctl does, with a warning; malformed filters are exit 2', async () => {
    const before = await versions();
    const r = await deploy(app, '--only-machines', 'ffffffffffffff');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--only-machines filter applied, deploying to 0/3 machines');
    expect(r.stderr).toContain(`WARNING ffffffffffffff: no managed machine of ${app} has this id`);
    expect(await versions()).toEqual(before);
    expect((await latest()).status).toBe('complete');

    await refused(app, ['--only-machines', 'web-1'], '--only-machines: "web-1" is not a machine id (14 lower-case hex characters)');
    await refused(app, ['--exclude-regions', 'AMS'], '--exclude-regions: "AMS" is not a region');
  });

  it('--env overrides [env] for this release: in every machine’s config env and in releases show; the next deploy goes back to [env]', async () => {
    const r = await deploy(app, '-e', 'GREETING=bonjour', '--env', 'LOG_LEVEL=debug');
    expect(r.code).toBe(0);
    const { version } = await latest();
    for (const id of [a, b, c]) expect(await envOf(id)).toMatchObject({ GREETING: 'bonjour', LOG_LEVEL: 'debug', FLY_PROCESS_GROUP: 'app' });
    const status = await cliJson<{ machine: { config: { env: Record<string, string> } } }>(hangar, ['machine', 'status', a, '-a', app]);
    expect(status.machine.config.env).toMatchObject({ GREETING: 'bonjour', LOG_LEVEL: 'debug' });
    expect((await show(version)).options).toEqual({ env: { GREETING: 'bonjour', LOG_LEVEL: 'debug' } });
    const text = await cliOk(hangar, ['releases', 'show', `v${version}`, '-a', app]);
    expect(text.stdout).toMatch(/^Flags:\s+-e GREETING=bonjour -e LOG_LEVEL=debug$/m);

    expect((await deploy(app)).code).toBe(0);
    expect(await envOf(a)).toMatchObject({ GREETING: 'hello' });
    expect(await envOf(a)).not.toHaveProperty('LOG_LEVEL');
  });

  it('refuses a bad --env with exit 2: no "=", a FLY_ name, the name of one of the app’s secrets', async () => {
    await refused(app, ['--env', 'FOO'], "Error: --env: 'FOO': must be in the format NAME=VALUE");
    await refused(app, ['-e', 'FLY_APP_NAME=x'], 'env.FLY_APP_NAME (--env): must not start with FLY_');
    await cliOk(hangar, ['secrets', 'set', 'API_KEY=s3cr3t-value', '-a', app]);
    const count = (await releases()).length;
    const clash = await deploy(app, '-e', 'API_KEY=typed-in-clear');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`API_KEY: ${app} has a secret of that name, which overrides [env] on every machine`);
    expect(clash.stderr + clash.stdout).not.toContain('s3cr3t-value');
    expect(await releases()).toHaveLength(count);
  });

  it('--lease-timeout is the TTL of the lease each machine update holds (fleet shows it), noted as flyctl notes it; a bad one is exit 2', async () => {
    await addFault(hangar, { match: { app, image: images.v3 }, effect: 'slow-start', delayMs: 4000, times: 1 });
    const running = deploy(app, '-i', images.v3!, '--lease-timeout', '45s', '--only-machines', a);
    const lease = await waitFor(hangar, `a lease on ${a}`, async () => {
      const res = await fleetFetch(hangar, `/v1/apps/${app}/machines/${a}/lease`);
      return res.ok ? ((await res.json()) as { data: { expires_at: number; description: string } }).data : undefined;
    });
    expect(lease.description).toMatch(/^hangar release /);
    // 45 s from when it was taken or last refreshed (every 14.7 s); the default would be 13 s at most.
    expect(lease.expires_at * 1000 - Date.now()).toBeGreaterThan(25_000);
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Using wait timeout: 5m0s lease timeout: 45s delay between lease refreshes: 14.667s');
    const release = await latest();
    expect((await show(release.version)).options).toEqual({ leaseTimeoutMs: 45_000, onlyMachines: [a] });
    expect((await releaseEvents(release.id, 'MachineUpdateRequested')).map((d) => d.leaseTimeoutMs)).toEqual([45_000]);

    await refused(app, ['--lease-timeout', 'abc'], '--lease-timeout: "abc" is not a duration; give seconds (30) or a duration like 30s or 1m30s');
    await refused(app, ['--lease-timeout', '1s'], '--lease-timeout: must be between 2s and 24h; got "1s"');
  });

  it('--image-label is accepted and recorded only, and says so; a tag Docker would refuse is exit 2', async () => {
    const r = await deploy(app, '--image-label', 'deployment-manual-1', '--only-machines', b);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--image-label is recorded in the release only: Hangar builds and pushes no image for it to tag');
    const release = await latest();
    expect((await show(release.version)).options).toEqual({ imageLabel: 'deployment-manual-1', onlyMachines: [b] });
    expect((await show(release.version)).image).toContain(images.v1!.split(':').slice(0, -1).join(':'));
    await refused(app, ['--image-label', 'no good'], '--image-label: "no good" is not an image tag');
  });

  it('--skip-release-command runs no release command; without it a failing one fails the release before any machine', async () => {
    const rc = `rc-${uniqueSuffix()}`;
    await cliOk(hangar, ['apps', 'create', rc]);
    writeToml(rc, flyToml(rc, images.v1!, `\n[deploy]\nrelease_command = "bin/migrate --all"\n${CHECKS}`));
    expect((await deploy(rc)).code).toBe(0);
    const before = await versions(rc);
    await addFault(hangar, { match: { app: rc, command: 'bin/migrate' }, effect: 'exit', code: 3, logs: ['migration 42 failed'] });

    const failing = await deploy(rc);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('release command failed');
    expect(await versions(rc)).toEqual(before);

    const skipped = await deploy(rc, '--skip-release-command');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toContain('release_command');
    const release = await latest(rc);
    expect(await releaseEvents(release.id, 'ReleaseCommandStarted')).toEqual([]);
    expect(Object.values(await versions(rc))).toEqual([release.version]);
    expect((await show(release.version, rc)).options).toEqual({ skipReleaseCommand: true });
    await refused(rc, ['--skip-release-command=maybe'], '--skip-release-command: "maybe" is not a boolean');
  });

  it('--ha=false gives a group 1 machine instead of 2; --update-only creates none for a new group; both bad values are exit 2', async () => {
    const web = `ha-${uniqueSuffix()}`;
    await cliOk(hangar, ['apps', 'create', web]);
    const service = (groups: string) => `\n[http_service]\ninternal_port = 8080\nprocesses = [${groups}]\n`;
    writeToml(web, flyToml(web, images.v1!, service('"app"')));
    await refused(web, ['--ha=maybe'], '--ha: "maybe" is not a boolean; use --ha=true or --ha=false');
    expect((await deploy(web, '--ha=false')).code).toBe(0);
    const first = await statusOf(hangar, web);
    expect(first.machines.map((m) => m.processGroup)).toEqual(['app']);
    expect((await show(1, web)).options).toEqual({ ha: false });

    writeToml(web, flyToml(web, images.v1!, `\n[processes]\napp = ""\napi = "bin/api"\n${service('"app", "api"')}`));
    await refused(web, ['--update-only=perhaps'], '--update-only: "perhaps" is not a boolean');
    const updateOnly = await deploy(web, '--update-only');
    expect(updateOnly.code).toBe(0);
    const afterUpdateOnly = await statusOf(hangar, web);
    expect(afterUpdateOnly.machines.map((m) => [m.processGroup, m.releaseVersion])).toEqual([['app', 2]]);
    expect((await show(2, web)).options).toEqual({ updateOnly: true });

    // The flags were this release's only: the next deploy creates the new group, two machines (ha).
    expect((await deploy(web)).code).toBe(0);
    const groups = (await statusOf(hangar, web)).machines.map((m) => m.processGroup).sort();
    expect(groups).toEqual(['api', 'api', 'app']);
  });

  it('POST /v1/apps/:app/deploys takes the flags, records them, and refuses bad values with 400, queuing nothing', async () => {
    const configToml = flyToml(app, images.v1!, `\n[env]\nGREETING = "hello"\n${CHECKS}`);
    const before = await versions();
    const queued = await apiRequest(hangar, 'POST', `/v1/apps/${app}/deploys`, {
      configToml,
      env: { GREETING: 'from-http' },
      excludeMachines: [c],
      skipReleaseCommand: true,
      leaseTimeout: '20s',
      imageLabel: 'api-1',
      ha: false,
      updateOnly: true,
    });
    expect(queued.status).toBe(202);
    const version = queued.body.release.version as number;
    expect(await settledRelease(hangar, app, version)).toMatchObject({ status: 'complete', trigger: 'api' });
    expect(await versions()).toEqual({ [a]: version, [b]: version, [c]: before[c] });
    expect(await envOf(a)).toMatchObject({ GREETING: 'from-http' });
    expect(await envOf(c)).not.toMatchObject({ GREETING: 'from-http' });
    const shown = await apiRequest(hangar, 'GET', `/v1/apps/${app}/releases/v${version}`);
    expect(shown.body.release.options).toEqual({
      env: { GREETING: 'from-http' },
      excludeMachines: [c],
      skipReleaseCommand: true,
      leaseTimeoutMs: 20_000,
      imageLabel: 'api-1',
      ha: false,
      updateOnly: true,
    });

    const count = (await releases()).length;
    for (const [body, message] of [
      [{ onlyMachines: ['nope'] }, 'onlyMachines: each of onlyMachines must be a machine id (14 lower-case hex characters); got "nope"'],
      [{ leaseTimeout: 'abc' }, 'leaseTimeout must be a positive duration'],
      [{ leaseTimeout: '1s' }, 'leaseTimeout must be between 2s and 24h'],
      [{ env: { FLY_REGION: 'x' } }, 'env.FLY_REGION (--env): must not start with FLY_'],
      [{ ha: 'false' }, 'ha: ha must be a boolean value'],
    ] as const) {
      const bad = await apiRequest(hangar, 'POST', `/v1/apps/${app}/deploys`, { configToml, ...body });
      expect({ status: bad.status, code: bad.body.error.code, message: bad.body.error.message }).toEqual({ status: 400, code: 'REQUEST.INVALID', message: expect.stringContaining(message) });
    }
    expect(await releases()).toHaveLength(count);
  });

  it('the NATS create-release command takes the flags too, and answers REQUEST.INVALID to a bad one', async () => {
    nc = await natsPublisher(hangar, 'ci', [`app:${app}:deploy`]);
    const subject = commandSubject(ns, 'releaser', 'create-release');
    const configToml = flyToml(app, images.v1!, `\n[env]\nGREETING = "hello"\n${CHECKS}`);
    const before = await versions();
    const reply = await natsCommand<{ release: { version: number } }>(nc, subject, { app, configToml, onlyRegions: ['ams'], env: { GREETING: 'from-nats' } });
    const { version } = reply.release;
    expect(await settledRelease(hangar, app, version)).toMatchObject({ status: 'complete', trigger: 'nats', actor: 'ci' });
    expect(await versions()).toEqual({ ...before, [c]: version });
    expect(await envOf(c)).toMatchObject({ GREETING: 'from-nats' });
    expect((await show(version)).options).toEqual({ onlyRegions: ['ams'], env: { GREETING: 'from-nats' } });
    expect((await show(version)).filters).toEqual({ applied: ['--regions'], selected: 1, total: 3 });

    const count = (await releases()).length;
    const bad = await natsCommand<{ error?: { code: string; message: string } }>(nc, subject, { app, configToml, excludeRegions: ['AMS'] });
    expect(bad.error).toMatchObject({ code: 'REQUEST.INVALID', message: expect.stringContaining('excludeRegions: each of excludeRegions must be a region') });
    expect(await releases()).toHaveLength(count);
  });
});
