import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import {
  HangarProcesses,
  addFault,
  clearFaults,
  cliJson,
  cliOk,
  flyToml,
  holdLeases,
  pushTestImages,
  settledRelease,
  statusOf,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
  type MachineStatus,
  startHangarE2e,
} from '@hangar/testing';

const SECRET = 'pw-never-shown-8f3a1c';

interface Detail extends MachineStatus {
  instanceId: string;
  config: { env?: Record<string, string>; guest?: { cpus?: number; memory_mb?: number } };
  events: { type: string; status: string; source: string; request?: Record<string, unknown> }[];
  checks: { name: string; status: string }[];
}

interface PowerJson {
  machine: { id: string; state: string; instanceId: string; checks: { status: string }[] };
  previousState: string;
}

/**
 * Issue 15's machine commands end to end through the CLI against running services and fleet (sim):
 * `machine start|stop|restart|status`, `image show` and `scale show`, their wrong inputs, and how a
 * stop meets a rollout in flight.
 */
describe('hangar machine start|stop|restart|status, image show and scale show (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  let images: Record<string, string> = {};
  const app = `mc-${uniqueSuffix()}`;
  const checks = '\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n';
  const toml = (image: string) => flyToml(app, image, `\n[env]\nGREETING = "hello"\n\n[[vm]]\nsize = "shared-cpu-2x"\n${checks}`);

  const ok = (args: string[]) => cliOk(hangar, [...args, '-a', app]);
  const json = <T>(args: string[]) => cliJson<T>(hangar, [...args, '-a', app]);
  const run = (args: string[], env?: Record<string, string>) => hangar.cli([...args, '-a', app], env ? { env } : {});
  const managed = async () => (await statusOf(hangar, app)).machines.filter((m) => m.managed);
  const detail = async (id: string) => (await json<{ machine: Detail }>(['machine', 'status', id])).machine;

  async function machineEvents(id: string): Promise<{ type: string; data: Record<string, unknown>; actor: string }[]> {
    const { rows } = await pg.query(`SELECT type, data, metadata->>'actor' AS actor FROM events WHERE stream_id = $1 ORDER BY stream_position`, [`machine-${id}`]);
    return rows.filter((r: { type: string }) => r.type.startsWith('MachineAction') || ['MachineStarted', 'MachineStopped', 'MachineRestarted'].includes(r.type));
  }

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_machines', namespace: testNamespace('mc'), fleetBootMs: 50, tmpPrefix: 'hangar-e2e-machines-' });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(`machines-${uniqueSuffix()}`, ['v1', 'v2']);
    mkdirSync(join(dir, app), { recursive: true });
    writeFileSync(join(dir, app, 'fly.toml'), toml(images.v1!));
    await cliOk(hangar, ['apps', 'create', app]);
    await cliOk(hangar, ['deploy'], { cwd: join(dir, app) });
    await ok(['scale', 'count', '2', '-r', 'ams']);
    await ok(['secrets', 'set', `DB_PASSWORD=${SECRET}`]);
  }, 240000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('shows a machine’s config, checks and events, with the values of the app’s secrets redacted', async () => {
    const [m] = await managed();
    const shown = await detail(m!.id);
    expect(shown).toMatchObject({ id: m!.id, managed: true, releaseVersion: 2, state: 'started' });
    expect(shown.config.env).toMatchObject({ GREETING: 'hello', DB_PASSWORD: '[REDACTED]' });
    expect(shown.config.guest).toMatchObject({ cpus: 2, memory_mb: 512 });
    expect(shown.checks).toEqual([expect.objectContaining({ name: 'alive', status: 'passing' })]);
    expect(shown.events.map((e) => e.type)).toContain('update');

    const text = await ok(['machine', 'status', m!.id]);
    expect(text.stdout).toContain(`Machine ID: ${m!.id}`);
    expect(text.stdout).toMatch(/^ {2}Process Group += app$/m);
    expect(text.stdout).toMatch(/^Checks \[1\/1\]$/m);
    expect(text.stdout).toMatch(/^STATE\s+EVENT\s+SOURCE\s+TIMESTAMP\s+INFO$/m);
    const config = await ok(['machine', 'status', m!.id, '-d']);
    expect(JSON.parse(config.stdout)).toMatchObject({ env: { DB_PASSWORD: '[REDACTED]', GREETING: 'hello' } });
    // The value reached the machine (fleet has it), and no command printed it.
    const fleet = await (await fetch(`${hangar.fleetUrl}/v1/apps/${app}/machines/${m!.id}`, { headers: { Authorization: `Bearer ${hangar.fleetToken}` } })).json();
    expect((fleet as { config: { env: Record<string, string> } }).config.env.DB_PASSWORD).toBe(SECRET);
    for (const out of [text, config]) expect(out.stdout + out.stderr).not.toContain(SECRET);
  });

  it('refuses an unknown or malformed machine id with exit 2 and says which', async () => {
    const unknown = await run(['machine', 'status', 'ffffffffffffff']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`Error: machine ffffffffffffff not found in app ${app}`);
    const stop = await run(['machine', 'stop', 'ffffffffffffff']);
    expect(stop.code).toBe(2);
    expect(stop.stderr).toContain(`machine ffffffffffffff not found in app ${app}`);
    const malformed = await run(['machine', 'start', 'not-a-machine']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('machineId must be 14 lower-case hex characters');
  });

  it('refuses a bad --timeout, an unknown --signal and a bad --wait-timeout with exit 2, touching nothing', async () => {
    const [m] = await managed();
    const before = await machineEvents(m!.id);
    const timeout = await run(['machine', 'stop', m!.id, '--timeout', 'abc']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout: "abc" is not a duration');
    const signal = await run(['machine', 'restart', m!.id, '--signal', 'SIGBOGUS']);
    expect(signal.code).toBe(2);
    expect(signal.stderr).toContain('--signal: unknown signal "SIGBOGUS"; use one of SIGABRT');
    const wait = await run(['machine', 'start', m!.id, '--wait-timeout', 'soon']);
    expect(wait.code).toBe(2);
    // The API refuses the same for its other callers.
    const res = await fetch(`${hangar.apiUrl}/v1/apps/${app}/machines/${m!.id}/stop`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${hangar.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ signal: 'SIGBOGUS', timeout: 'abc' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/signal must be one of .*timeout must be a duration/);
    expect(await machineEvents(m!.id)).toEqual(before);
    expect((await detail(m!.id)).state).toBe('started');
  });

  it('stops with a signal and timeout, starts and restarts a machine, recording each with its actor', async () => {
    const token = await cliJson<{ token: { name: string }; secret: string }>(hangar, ['tokens', 'create', `ops-${uniqueSuffix()}`, '--scope', `app:${app}:deploy`]);
    const asOps = { HANGAR_API_TOKEN: token.secret };
    const [m] = await managed();

    const stop = await run(['machine', 'stop', m!.id, '-s', 'term', '--timeout', '10'], asOps);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`Sending kill signal to machine ${m!.id}...\n${m!.id} has been successfully stopped\n`);
    const stopped = await detail(m!.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.events.find((e) => e.type === 'stop')?.request).toMatchObject({ signal: 'SIGTERM', timeout: '10s' });

    const started = await run(['machine', 'start', m!.id, '--json'], asOps);
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ previousState: 'stopped', machine: { id: m!.id, state: 'started', instanceId: stopped.instanceId } });

    const restart = await run(['machine', 'restart', m!.id, '--signal', 'SIGUSR1'], asOps);
    expect(restart.code).toBe(0);
    expect(restart.stdout).toMatch(new RegExp(`^Restarting machine ${m!.id}\n(.*\n)*Machine ${m!.id} restarted successfully!\n$`));
    const restarted = await detail(m!.id);
    expect(restarted).toMatchObject({ state: 'started', instanceId: stopped.instanceId });
    expect(restarted.checks.every((c) => c.status === 'passing')).toBe(true);

    const events = await machineEvents(m!.id);
    expect(events.map((e) => `${e.type}:${String(e.data.action)}:${e.actor}`)).toEqual([
      `MachineActionRequested:stop:${token.token.name}`,
      `MachineStopped:stop:${token.token.name}`,
      `MachineActionRequested:start:${token.token.name}`,
      `MachineStarted:start:${token.token.name}`,
      `MachineActionRequested:restart:${token.token.name}`,
      `MachineRestarted:restart:${token.token.name}`,
    ]);
    expect(events[1]!.data).toMatchObject({ signal: 'SIGTERM', timeout: '10s', previousState: 'started', state: 'stopped', managed: true });
    const audit = await cliOk(hangar, ['audit', '-a', app, '-t', 'MachineStopped', '--json']);
    expect(audit.stdout).toContain(m!.id);
  });

  it('fails a restart whose machine does not come back with exit 1, then starts it once the fault is gone', async () => {
    const [, m] = await managed();
    await addFault(hangar, { match: { machineId: m!.id }, effect: 'crash-on-start', times: 1 });
    try {
      const restart = await run(['machine', 'restart', m!.id]);
      expect(restart.code).toBe(1);
      expect(restart.stderr).toContain(`Error: machine ${m!.id} restart failed: machine is stopped (exit code 1): it did not come up`);
    } finally {
      await clearFaults(hangar);
    }
    expect((await run(['machine', 'start', m!.id])).code).toBe(0);
    expect((await detail(m!.id)).state).toBe('started');
  });

  it('refuses at once with exit 1 when someone else holds the machine’s lease', async () => {
    const [m] = await managed();
    const release = await holdLeases(hangar, app, [m!.id]);
    try {
      const started = Date.now();
      const stop = await run(['machine', 'stop', m!.id]);
      expect(stop.code).toBe(1);
      expect(stop.stderr).toContain(`cannot stop machine ${m!.id}: another operation holds its lease (lease currently held by`);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await release();
    }
    expect((await detail(m!.id)).state).toBe('started');
  });

  it('keeps managed machines out of reach while a release rolls out, naming it; unmanaged ones stay free', async () => {
    const machines = await managed();
    const unmanaged = (await json<{ machine: MachineStatus }>(['machine', 'run', images.v1!])).machine;
    const before = await machineEvents(machines[0]!.id);
    const letGo = await holdLeases(hangar, app, machines.map((m) => m.id));
    let version = 0;
    try {
      version = JSON.parse((await cliOk(hangar, ['deploy', '-i', images.v2!, '--detach', '--json'], { cwd: join(dir, app) })).stdout.trim().split('\n').pop()!).release.version;
      await waitFor(hangar, `release v${version} running`, async () => (await cliJson<{ releases: { version: number; status: string }[] }>(hangar, ['releases', '-a', app])).releases.find((r) => r.version === version && r.status === 'running'));
      const refused = await run(['machine', 'stop', machines[0]!.id]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`machine ${machines[0]!.id} is managed by deploys and release v${version} of ${app} is rolling out`);
      expect(refused.stderr).toContain(`hangar releases cancel v${version}`);
      expect((await run(['machine', 'stop', unmanaged.id])).code).toBe(0);
    } finally {
      await letGo();
    }
    expect((await settledRelease(hangar, app, version)).status).toBe('complete');
    expect((await managed()).every((m) => m.releaseVersion === version && m.state === 'started')).toBe(true);
    expect(await machineEvents(machines[0]!.id)).toEqual(before);
  });

  it('shows each machine’s image, digest and release, and one machine’s with its id', async () => {
    const { images: shown } = await json<{ images: { machineId: string; managed: boolean; repository?: string; tag?: string; digest?: string; imageId?: string; release?: { version: number } }[] }>(['image', 'show']);
    const machines = await statusOf(hangar, app);
    expect(shown.map((i) => i.machineId).sort()).toEqual(machines.machines.map((m) => m.id).sort());
    for (const line of shown.filter((i) => i.managed)) {
      expect(line).toMatchObject({ tag: 'v2', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), imageId: expect.stringMatching(/^img_/), release: { version: expect.any(Number) } });
    }
    const loose = shown.find((i) => !i.managed)!;
    expect(loose).toMatchObject({ tag: 'v1' });
    expect(loose.release).toBeUndefined();

    const table = await ok(['image', 'show']);
    expect(table.stdout).toMatch(/^Image Details\nMACHINE ID\s+PROCESS\s+RELEASE\s+REGISTRY\s+REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID$/m);
    const one = shown.find((i) => i.managed)!;
    expect((await json<{ image: { machineId: string } }>(['image', 'show', one.machineId])).image.machineId).toBe(one.machineId);
    expect((await ok(['image', 'show', one.machineId])).stdout).toMatch(new RegExp(`^ {2}Digest += ${one.digest!}$`, 'm'));
    const unknown = await run(['image', 'show', 'ffffffffffffff']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`machine ffffffffffffff not found in app ${app}`);
  });

  it('shows the managed machines per group with their count, vm size and regions', async () => {
    const shown = await json<{ app: string; groups: unknown[]; unmanaged: number }>(['scale', 'show']);
    expect(shown).toEqual({ app, groups: [{ name: 'app', count: 2, cpuKind: 'shared', cpus: 2, memoryMb: 512, regions: { ams: 1, local: 1 } }], unmanaged: 1 });
    const text = await ok(['scale', 'show']);
    expect(text.stdout).toMatch(new RegExp(`^VM Resources for app: ${app}\n\nGroups\nNAME\\s+COUNT\\s+KIND\\s+CPUS\\s+MEMORY\\s+REGIONS\napp\\s+2\\s+shared\\s+2\\s+512 MB\\s+ams,local\n`));
    expect(text.stdout).toContain('1 unmanaged machine(s) (machine run) not counted');

    const missing = await hangar.cli(['scale', 'show', '-a', `no-such-${uniqueSuffix()}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/app .*no-such-.* not found/);
    const extra = await run(['scale', 'show', 'extra']);
    expect(extra.code).toBe(2);
  });
});
