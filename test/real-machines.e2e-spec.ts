import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  HangarProcesses,
  cliOk,
  fleetFetch,
  fleetMachines,
  flyToml,
  pushDemoImages,
  releasesOf,
  runPodman,
  startHangarE2e,
  steadyLoad,
  statusOf,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
  type PushedDemoImage,
} from '@hangar/testing';

jest.setTimeout(300_000);

/**
 * Issue 13: `hangar deploy` runs the image for real. fleet runs with HANGAR_FLEET_RUNTIME=podman,
 * every machine is a container of the demo image (busybox httpd), and what the app serves is read
 * from the containers themselves on the host ports fleet reports.
 */
describe('real machines (podman runtime, e2e)', () => {
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  let dir: string;
  const app = `real-${uniqueSuffix()}`;
  let images: Record<string, PushedDemoImage>;

  const toml = (image: string, extra = '') =>
    flyToml(
      app,
      image,
      `\n[env]\nGREETING = "hello"\n\n[http_service]\ninternal_port = 8080\n\n[[http_service.checks]]\ngrace_period = "0s"\ninterval = "500ms"\ntimeout = "1s"\nmethod = "GET"\npath = "/health"\n${extra}`,
    );
  const deploy = (image: string, extra = '', args: string[] = []) => {
    writeFileSync(join(dir, 'fly.toml'), toml(image, extra));
    return hangar.cli(['deploy', ...args], { cwd: dir, timeoutMs: 240_000 });
  };
  /** What each running managed machine serves on `/`, by machine id. */
  async function pages(): Promise<Record<string, string>> {
    const machines = (await fleetMachines(hangar, app)).filter((m) => m.state === 'started' && m.config.metadata?.fly_platform_version === 'v2');
    const out: Record<string, string> = {};
    for (const m of machines) {
      const port = (m as { host_ports?: Record<string, number> }).host_ports?.['8080'];
      out[m.id] = port ? (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim() : 'no port';
    }
    return out;
  }
  /** GET / through the edge proxy as a browser would ask for http://<app>.localhost/ (fetch may not set Host). */
  const viaEdge = (): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request(`${hangar.edgeUrl}/`, { headers: { host: `${app}.localhost` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      });
      req.once('error', reject);
      req.end();
    });
  const containersOf = async () => {
    const { stdout } = await runPodman(['ps', '-a', '--filter', `label=hangar.app=${app}`, '--format', '{{.Names}} {{.State}}']);
    return stdout.trim().split('\n').filter(Boolean);
  };

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_real', namespace: testNamespace('r'), tmpPrefix: 'hangar-real-', extraEnv: { HANGAR_FLEET_RUNTIME: 'podman' } });
    ({ hangar, dir } = e2e);
    images = await pushDemoImages(`real-${uniqueSuffix()}`, { v1: { variant: 'ok', label: 'v1' }, v2: { variant: 'ok', label: 'v2' }, bad: { variant: 'unhealthy', label: 'bad' } });
    await cliOk(hangar, ['apps', 'create', app]);
  });

  afterAll(async () => {
    await e2e?.stop();
    const left = await containersOf().catch(() => []);
    for (const line of left) await runPodman(['rm', '-f', '-t', '0', line.split(' ')[0]!]);
  });

  it('deploys v1 as running containers serving the release, then rolls to v2: every machine serves v2', async () => {
    const first = await deploy(images.v1!.reference);
    expect(first.code).toBe(0);
    await cliOk(hangar, ['scale', 'count', '2', '-a', app], { timeoutMs: 240_000 });
    const v1 = await pages();
    expect(Object.keys(v1)).toHaveLength(2);
    for (const [id, page] of Object.entries(v1)) expect(page).toMatch(new RegExp(`^version=\\S+ release=\\d+ machine=${id} greeting=hello label=v1$`));

    // The edge serves the app before, during and after the rolling deploy: not one request fails.
    expect(await viaEdge()).toEqual({ status: 200, body: expect.stringMatching(/ label=v1$/) });
    const rolling = deploy(images.v2!.reference, '\n[deploy]\nstrategy = "rolling"\nmax_unavailable = 1\n');
    const load = await steadyLoad({ url: `${hangar.edgeUrl}/`, host: `${app}.localhost`, rps: 50, keepAliveShare: 0.5, until: rolling });
    const second = await rolling;
    expect(second.code).toBe(0);
    expect({ failed: load.failed, failures: load.failures }).toEqual({ failed: 0, failures: [] });
    expect(load.requests).toBeGreaterThan(100);
    const v2 = await pages();
    expect(Object.keys(v2).sort()).toEqual(Object.keys(v1).sort());
    for (const page of Object.values(v2)) expect(page).toMatch(/ label=v2$/);
    expect(await viaEdge()).toEqual({ status: 200, body: expect.stringMatching(/ label=v2$/) });
    expect(await containersOf()).toHaveLength(2);
  });

  it('an image whose health path fails never becomes the release: the deploy fails and the v2 machines keep serving', async () => {
    const before = await pages();
    const failing = deploy(images.bad!.reference, '\n[deploy]\nstrategy = "rolling"\nwait_timeout = "15s"\n');
    // The unhealthy machine never takes traffic: through the whole failed release and its rollback, every answer is v2's.
    const answers = new Map<string, number>();
    let settled = false;
    void failing.finally(() => (settled = true));
    while (!settled) {
      const res = await viaEdge().then((r) => `${r.status} ${r.body.replace(/^.* label=/, 'label=')}`, (e: Error) => `error ${e.message}`);
      answers.set(res, (answers.get(res) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 50));
    }
    const bad = await failing;
    expect(bad.code).not.toBe(0);
    expect([...answers.keys()]).toEqual(['200 label=v2']);
    const releases = await releasesOf(hangar, app);
    const badVersion = releases.find((r) => r.image.includes(images.bad!.digest))?.version ?? -1;
    await waitFor(hangar, 'the bad release to be rolled back', async () => (await releasesOf(hangar, app)).find((r) => r.version === badVersion)?.status === 'rolled_back' || undefined, { timeoutMs: 120_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${JSON.stringify(await releasesOf(hangar, app))}\n${bad.stdout}\n${bad.stderr}`);
    });
    expect(badVersion).toBeGreaterThan(2);
    await waitFor(hangar, 'every machine back on v2', async () => {
      const now = await pages();
      return Object.keys(now).length === 2 && Object.values(now).every((p) => p.endsWith('label=v2'));
    }, { timeoutMs: 120_000 });
    expect(Object.keys(await pages()).sort()).toEqual(Object.keys(before).sort());
  });

  it('a failing release command prints its real output and changes no machine', async () => {
    const before = await pages();
    const marker = `migrating-${randomUUID()}`;
    const failed = await deploy(images.v1!.reference, `\n[deploy]\nrelease_command = "/bin/busybox sh -c 'echo ${marker} RELEASE_COMMAND=$RELEASE_COMMAND; exit 4'"\n`);
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}${failed.stderr}`).toContain(`${marker} RELEASE_COMMAND=1`);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/exit(ed)? (code )?4|code 4/);
    expect(await pages()).toEqual(before);
  });

  it('puts secrets in the containers environment, and no log holds them', async () => {
    const secret = `s3cret-${randomUUID()}`;
    await cliOk(hangar, ['secrets', 'set', `GREETING=${secret}`], { cwd: dir, timeoutMs: 240_000 });
    await waitFor(hangar, 'the secret served by every machine', async () => {
      const now = await pages();
      return Object.keys(now).length === 2 && Object.values(now).every((p) => p.includes(`greeting=${secret}`));
    }, { timeoutMs: 120_000 });
    expect(hangar.output()).not.toContain(secret);
  });

  /** Runs `cmd` in the running container of machine `id`; returns its stdout. */
  const exec = async (id: string, ...cmd: string[]) => {
    const { stdout: name } = await runPodman(['ps', '--filter', `label=hangar.machine=${id}`, '--format', '{{.Names}}']);
    const out = await runPodman(['exec', name.trim(), ...cmd]);
    if (out.code !== 0) throw new Error(`podman exec on ${id} failed: ${out.stderr}`);
    return out.stdout.trim();
  };
  /** Machine `update` events in fleet's timeline after `since` (ms), by machine id, and the newest event's time. */
  const updatesSince = async (since: number) => {
    const timeline = (await (await fleetFetch(hangar, `/fleet/v1/apps/${app}/timeline`)).json()) as { events: { timestamp: number; machine_id: string; type: string }[] };
    const counts: Record<string, number> = {};
    for (const e of timeline.events) if (e.timestamp > since && e.type === 'update') counts[e.machine_id] = (counts[e.machine_id] ?? 0) + 1;
    return { counts, lastSeq: Math.max(0, ...timeline.events.map((e) => e.timestamp)) };
  };

  it("keeps a volume's files across two deploys and a new mount path", async () => {
    expect((await hangar.cli(['volumes', 'create', 'data', '-r', 'local', '-n', '2', '-a', app])).code).toBe(0);
    expect((await deploy(images.v1!.reference, '\n[mounts]\nsource = "data"\ndestination = "/data"\n')).code).toBe(0);
    const ids = Object.keys(await pages());
    expect(ids).toHaveLength(2);
    for (const id of ids) await exec(id, '/bin/busybox', 'sh', '-c', `echo written-under-v1-by-${id} > /data/proof`);
    expect((await deploy(images.v2!.reference, '\n[mounts]\nsource = "data"\ndestination = "/data"\n')).code).toBe(0);
    for (const id of ids) expect(await exec(id, '/bin/busybox', 'cat', '/data/proof')).toBe(`written-under-v1-by-${id}`);
    expect((await deploy(images.v2!.reference, '\n[mounts]\nsource = "data"\ndestination = "/srv/data"\n')).code).toBe(0);
    for (const id of ids) expect(await exec(id, '/bin/busybox', 'cat', '/srv/data/proof')).toBe(`written-under-v1-by-${id}`);
    expect(Object.keys(await pages()).sort()).toEqual([...ids].sort());
  });

  const volumeToml = '\n[mounts]\nsource = "data"\ndestination = "/srv/data"\n';

  it('leaves a machine started with machine run alone, and adopts running containers when fleet restarts mid-rollout', async () => {
    const run = await hangar.cli(['machine', 'run', images.v1!.reference, '-a', app, '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const unmanaged = (JSON.parse(run.stdout) as { machine: { id: string } }).machine.id;
    await waitFor(hangar, 'the unmanaged machine started', async () => (await fleetMachines(hangar, app)).find((m) => m.id === unmanaged)?.state === 'started');
    const unmanagedContainer = (await runPodman(['ps', '--filter', `label=hangar.machine=${unmanaged}`, '--format', '{{.ID}}'])).stdout.trim();
    const { lastSeq } = await updatesSince(0);

    const rolling = deploy(images.v1!.reference, `${volumeToml}\n[deploy]\nstrategy = "rolling"\nmax_unavailable = 1\n`);
    await waitFor(hangar, 'the first machine update', async () => Object.keys((await updatesSince(lastSeq)).counts).length >= 1, { intervalMs: 50 });
    await hangar.stopOne('fleet', 'SIGKILL');
    await hangar.startOne('fleet');
    expect((await rolling).code).toBe(0);

    const { counts } = await updatesSince(lastSeq);
    expect(Object.values(counts)).toEqual([1, 1]);
    expect(counts[unmanaged]).toBeUndefined();
    for (const page of Object.values(await pages())) expect(page).toMatch(/ label=v1$/);
    expect((await runPodman(['ps', '--filter', `label=hangar.machine=${unmanaged}`, '--format', '{{.ID}}'])).stdout.trim()).toBe(unmanagedContainer);
    expect((await fleetMachines(hangar, app)).find((m) => m.id === unmanaged)?.config.image).toBe(images.v1!.reference);
  });

  it('resumes a rollout whose machine-updater was SIGKILLed: every machine ends on the new release, none updated twice', async () => {
    const { lastSeq } = await updatesSince(0);
    const rolling = deploy(images.v2!.reference, `${volumeToml}\n[deploy]\nstrategy = "rolling"\nmax_unavailable = 1\n`);
    await waitFor(hangar, 'the first machine update', async () => Object.keys((await updatesSince(lastSeq)).counts).length >= 1, { intervalMs: 50 });
    await hangar.stopOne('machine-updater', 'SIGKILL');
    await hangar.startOne('machine-updater');
    expect((await rolling).code).toBe(0);
    const { counts } = await updatesSince(lastSeq);
    expect(Object.values(counts)).toEqual([1, 1]);
    for (const page of Object.values(await pages())) expect(page).toMatch(/ label=v2$/);
  });

  it('records a container killed outside Hangar with its exit code, and starts it again as Fly does for a deploy machine (on-failure)', async () => {
    // A managed machine: deploys set no restart policy, which is on-failure on Fly (machine run's is always).
    const [victim] = (await fleetMachines(hangar, app)).filter((m) => m.state === 'started' && m.config.metadata?.fly_platform_version === 'v2' && !(m.config as { restart?: unknown }).restart);
    const { stdout } = await runPodman(['ps', '--filter', `label=hangar.machine=${victim!.id}`, '--format', '{{.Names}}']);
    expect((await runPodman(['kill', '--signal', 'KILL', stdout.trim()])).code).toBe(0);
    type Seen = { state: string; events?: { type: string; request?: { exit_event?: { exit_code: number; restarting?: boolean } } }[] };
    const seen = async () => (await fleetMachines(hangar, app)).find((m) => m.id === victim!.id) as unknown as Seen;
    await waitFor(hangar, 'fleet to record the kill and start the machine again', async () => {
      const m = await seen();
      return m.state === 'started' && (m.events ?? []).some((e) => e.type === 'exit' && e.request?.exit_event?.exit_code === 137);
    });
    const exit = ((await seen()).events ?? []).find((e) => e.type === 'exit');
    expect(exit).toMatchObject({ request: { exit_event: { exit_code: 137, restarting: true } } });
    await waitFor(hangar, 'the restarted machine to pass its check again', async () => {
      const m = (await fleetMachines(hangar, app)).find((x) => x.id === victim!.id) as unknown as { checks?: { status: string }[] };
      return (m.checks ?? []).length > 0 && m.checks!.every((c) => c.status === 'passing');
    });
    expect((await statusOf(hangar, app)).machines.find((m) => m.id === victim!.id)?.state).toBe('started');
    for (const page of Object.values(await pages())) expect(page).toMatch(/ label=v2$/);
  });

  it('leaves no release running', async () => {
    await waitFor(hangar, 'every release settled', async () => (await releasesOf(hangar, app)).every((r) => ['complete', 'failed', 'cancelled', 'rolled_back'].includes(r.status)), { timeoutMs: 120_000 });
  });
});
