import type { INestApplication } from '@nestjs/common';
import { HttpMachinesApi, type Machine, type MachineConfig, type MachineLogs } from '@hangar/machines-api';
import { createTestDatabase, pushDemoImages, runPodman, uniqueSuffix, type PushedDemoImage, type TestDatabase } from '@hangar/testing';
import { startFleet } from '../fleet.bootstrap';
import { fleetConfig, fleetIdOf } from '../fleet.config';

jest.setTimeout(120_000);

/**
 * fleet's podman runtime against real podman: what a container does is what the Machines API says —
 * started, checks, exit codes, restarts, a failed pull, and a restarted fleet adopting its containers.
 */
describe('PodmanRuntime', () => {
  const TOKEN = 'podman-runtime-token-0123456789';
  const app = `pod-${uniqueSuffix()}`;
  let db: TestDatabase;
  let running: { app: INestApplication; url: string } | undefined;
  let api: HttpMachinesApi;
  let images: Record<string, PushedDemoImage>;

  const start = async (env: Record<string, string> = {}) => {
    await running?.app.close();
    running = await startFleet(fleetConfig({ DATABASE_URL: db.url, HANGAR_FLEET_PORT: '0', HANGAR_EDGE_PORT: '0', HANGAR_MACHINES_API_TOKEN: TOKEN, HANGAR_FLEET_RUNTIME: 'podman', ...env }));
    api = new HttpMachinesApi({ baseUrl: running.url, retry: { attempts: 1 }, token: TOKEN });
  };
  const containers = async (machineId: string) => {
    const out = await runPodman(['ps', '-a', '--filter', `label=hangar.machine=${machineId}`, '--format', '{{.ID}} {{.State}}']);
    // `{{.State}}` is podman's status text ("Up 2 seconds ago", "Exited (0) …"): keep its first word.
    return out.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' '));
  };
  const until = async (id: string, what: string, ok: (m: Machine) => boolean, timeoutMs = 60_000): Promise<Machine> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await api.get(app, id);
      if (ok(m)) return m;
      if (Date.now() > deadline) throw new Error(`machine ${id} never ${what}: ${JSON.stringify({ state: m.state, checks: m.checks, events: m.events?.slice(0, 3) })}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const web = (image: string, over: Partial<MachineConfig> = {}): MachineConfig => ({
    image,
    env: { GREETING: 'from-config' },
    services: [{ protocol: 'tcp', internal_port: 8080 }],
    checks: { health: { type: 'http', port: 8080, path: '/health', interval: '300ms', timeout: '1s' } },
    ...over,
  });

  beforeAll(async () => {
    db = await createTestDatabase('fleet_podman');
    images = await pushDemoImages(`pod-${uniqueSuffix()}`, { ok: { variant: 'ok', label: 'ok' }, exits: { variant: 'exits' } });
    await start();
    await api.createApp(app, 'personal');
  });

  afterAll(async () => {
    await running?.app.close();
    const left = await runPodman(['ps', '-a', '--filter', `label=hangar.fleet=${fleetIdOf(db.url)}`, '--format', '{{.ID}}']);
    for (const id of left.stdout.trim().split('\n').filter(Boolean)) await runPodman(['rm', '-f', '-t', '0', id]);
    await db?.drop();
  });

  it('starts a container with the machine env and FLY_* variables, passes its check, stops it with an exit event, and removes it on destroy', async () => {
    const created = await api.create(app, { config: web(images.ok!.pinned) });
    const started = await until(created.id, 'passed its check', (m) => m.state === 'started' && m.checks?.[0]?.status === 'passing');
    expect(started.private_ip).toBe('127.0.0.1');
    const port = started.host_ports?.['8080'];
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page.trim()).toBe(`version=${started.instance_id} release= machine=${created.id} greeting=from-config label=ok`);

    await api.stop(app, created.id);
    const stopped = await until(created.id, 'stopped', (m) => m.state === 'stopped');
    expect(stopped.events?.[0]).toMatchObject({ type: 'exit', request: { exit_event: { exit_code: 0, requested_stop: true } } });
    expect(stopped.checks?.[0]).toMatchObject({ status: 'critical', output: 'machine is stopped' });
    // Its container goes once the exit is recorded: the next start runs the image afresh, as on Fly.
    const gone = Date.now() + 30_000;
    while ((await containers(created.id)).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
    expect(await containers(created.id)).toEqual([]);
    expect(linesOf(await api.logs(app, created.id)).join('\n')).toContain('demo: serving /www');

    await api.destroy(app, created.id);
    await until(created.id, 'lost its container', () => true);
    const deadline = Date.now() + 30_000;
    while ((await containers(created.id)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await containers(created.id)).toEqual([]);
  });

  it('fails a machine whose image cannot be pulled, naming why, and leaves no container', async () => {
    const missing = `127.0.0.1:5000/pod-missing-${uniqueSuffix()}@sha256:${'0'.repeat(64)}`;
    const created = await api.create(app, { config: web(missing) });
    const stopped = await until(created.id, 'stopped', (m) => m.state === 'stopped');
    expect(stopped.events?.[0]).toMatchObject({ type: 'exit', request: { exit_event: { exit_code: 1, requested_stop: false } } });
    expect(linesOf(await api.logs(app, created.id)).join('\n')).toMatch(/fleet: could not pull the image: podman pull failed/);
    expect(await containers(created.id)).toEqual([]);
  });

  it("stops with the stop request's signal and timeout: one the app ignores is followed by a kill after the timeout", async () => {
    const created = await api.create(app, { config: web(images.ok!.pinned, { restart: { policy: 'no' } }) });
    await until(created.id, 'started', (m) => m.state === 'started');
    // The demo traps TERM and INT (exit 0); as PID 1 it never sees a USR1 it has no handler for.
    const began = Date.now();
    await api.stop(app, created.id, undefined, { signal: 'SIGUSR1', timeout: '1s' });
    const killed = await until(created.id, 'stopped', (m) => m.state === 'stopped');
    expect(killed.events?.[0]).toMatchObject({ type: 'exit', request: { exit_event: { exit_code: 137, requested_stop: true } } });
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);

    await api.start(app, created.id);
    await until(created.id, 'started again', (m) => m.state === 'started' && m.checks?.[0]?.status === 'passing');
    await api.stop(app, created.id, undefined, { signal: 'SIGTERM', timeout: '30s' });
    const stopped = await until(created.id, 'stopped by its trapped TERM', (m) => m.state === 'stopped');
    expect(stopped.events?.[0]).toMatchObject({ type: 'exit', request: { exit_event: { exit_code: 0, requested_stop: true } } });
  });

  it('restarts a crashing container under on-failure up to max_retries, recording every exit with its real code', async () => {
    const created = await api.create(app, { config: { image: images.exits!.pinned, restart: { policy: 'on-failure', max_retries: 2 } } });
    const stopped = await until(created.id, 'stopped after its retries', (m) => m.state === 'stopped');
    const exits = (stopped.events ?? []).filter((e) => e.type === 'exit').map((e) => [e.request?.exit_event?.exit_code, (e.request?.exit_event as { restarting?: boolean } | undefined)?.restarting]);
    expect(exits).toEqual([
      [3, false],
      [3, true],
      [3, true],
    ]);
    expect(linesOf(await api.logs(app, created.id)).join('\n')).toContain('exiting with code 3');
  });

  it("pulls an image of a mirrored registry from the builder's mirror (HANGAR_REGISTRY_MIRRORS)", async () => {
    await start({ HANGAR_REGISTRY_MIRRORS: JSON.stringify({ 'ghcr.io': '127.0.0.1:5000' }) });
    const [, path] = /^127\.0\.0\.1:5000\/(.+)$/.exec(images.ok!.pinned)!;
    const created = await api.create(app, { config: web(`ghcr.io/${path}`) });
    await until(created.id, 'started from the mirror', (m) => m.state === 'started');
    await api.stop(app, created.id);
    await until(created.id, 'stopped', (m) => m.state === 'stopped');
  });

  it('refuses to start on a podman that does not work, naming why and the sim as the way out', async () => {
    const broken = fleetConfig({ DATABASE_URL: db.url, HANGAR_FLEET_PORT: '0', HANGAR_EDGE_PORT: '0', HANGAR_MACHINES_API_TOKEN: TOKEN, HANGAR_FLEET_RUNTIME: 'podman', HANGAR_PODMAN_CONF: '/nonexistent/containers.conf' });
    await expect(startFleet(broken)).rejects.toThrow(/HANGAR_FLEET_RUNTIME=podman, but podman does not work here: .*\/nonexistent\/containers\.conf.*HANGAR_FLEET_RUNTIME=sim/);
  });

  it('adopts its running containers when restarted, and sees one killed behind its back as stopped with exit 137', async () => {
    // restart `no`: the default, on-failure, would rightly start it again after the kill.
    const created = await api.create(app, { config: web(images.ok!.pinned, { restart: { policy: 'no' } }) });
    await until(created.id, 'started', (m) => m.state === 'started' && m.checks?.[0]?.status === 'passing');
    const [before] = await containers(created.id);
    await start();
    const adopted = await until(created.id, 'passing again', (m) => m.state === 'started' && m.checks?.[0]?.status === 'passing');
    expect(adopted.state).toBe('started');
    expect(await containers(created.id)).toEqual([before]);

    expect((await runPodman(['kill', '--signal', 'KILL', before!.split(' ')[0]!])).code).toBe(0);
    const killed = await until(created.id, 'stopped', (m) => m.state === 'stopped');
    expect(killed.events?.[0]).toMatchObject({ type: 'exit', request: { exit_event: { exit_code: 137, requested_stop: false } } });
  });
});

function linesOf(logs: MachineLogs): string[] {
  if (!logs.available) throw new Error(`logs unavailable: ${logs.reason}`);
  return logs.lines;
}
