import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addFault,
  cliOk,
  flyToml,
  pushDemoImages,
  pushTestImages,
  runPodman,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type HangarE2e,
  type HangarProcesses,
} from '@hangar/testing';
import type { AppLogLine } from '@hangar/contracts';

jest.setTimeout(240_000);

/** `fly logs`'s line: time to the second, `<group>[<machine>]`, region, level, message. */
const line = (machine: string, level: 'info' | 'error', message: string) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ app\\[${machine}\\] local \\[${level}\\] ${message}$`, 'm');

/** `hangar logs … --follow` running in the background: what it printed so far, and a way to end it. */
interface Follower {
  stdout: () => string;
  stop: () => Promise<void>;
}

function follow(hangar: HangarProcesses, args: string[]): Follower {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js'), 'logs', '--follow', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', HANGAR_API_URL: hangar.apiUrl, HANGAR_API_TOKEN: hangar.adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stdout: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Running `podman logs --follow` processes for containers of these machines. */
async function podmanFollowers(machineIds: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'args']);
  return stdout.split('\n').filter((l) => l.includes('podman logs') && l.includes('--follow') && machineIds.some((id) => l.includes(id)));
}

describe('hangar logs on the sim runtime (e2e)', () => {
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  const app = `logs-${uniqueSuffix()}`;
  let image: string;

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_logs', namespace: testNamespace('l'), tmpPrefix: 'hangar-logs-' });
    ({ hangar } = e2e);
    image = (await pushTestImages(`logs-${uniqueSuffix()}`, ['v1'])).v1!;
    await cliOk(hangar, ['apps', 'create', app]);
    await addFault(hangar, { match: { app, command: 'bin/report' }, effect: 'exit', code: 3, logs: ['report: starting', 'report: 2 rows failed'] });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  const runReport = async () => {
    const run = await cliOk(hangar, ['machine', 'run', image, 'bin/report', '-a', app, '--json']);
    const id = (JSON.parse(run.stdout) as { machine: { id: string } }).machine.id;
    await waitFor(hangar, `machine ${id} to exit`, async () => (await statusOf(hangar, app)).machines.find((m) => m.id === id)?.state === 'stopped');
    return id;
  };

  it('shows what a machine printed before it exited, as fly logs does, in text and NDJSON', async () => {
    const id = await runReport();
    const text = await cliOk(hangar, ['logs', '-a', app]);
    expect(text.stdout).toMatch(line(id, 'info', 'report: starting'));
    expect(text.stdout).toMatch(line(id, 'info', 'report: 2 rows failed'));
    expect(text.stdout.indexOf('report: starting')).toBeLessThan(text.stdout.indexOf('report: 2 rows failed'));

    const json = await cliOk(hangar, ['logs', '-a', app, '--machine', id, '--json']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as AppLogLine);
    expect(lines.map((l) => [l.machineId, l.region, l.processGroup, l.stream, l.message])).toEqual([
      [id, 'local', 'app', 'stdout', 'report: starting'],
      [id, 'local', 'app', 'stdout', 'report: 2 rows failed'],
    ]);
  });

  it('refuses an unknown app, an unknown machine and a bad machine id with exit code 2', async () => {
    const noApp = await hangar.cli(['logs', '-a', `nope-${uniqueSuffix()}`]);
    expect({ code: noApp.code, stderr: noApp.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/not found/) });
    const noMachine = await hangar.cli(['logs', '-a', app, '--machine', '0123456789abcd']);
    expect({ code: noMachine.code, stderr: noMachine.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('machine 0123456789abcd not found') });
    const bad = await hangar.cli(['logs', '-a', app, '--machine', 'not-a-machine']);
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('machine must be a machine id') });
  });

  it('following, keeps polling: a machine that exits later shows its lines', async () => {
    const follower = follow(hangar, ['-a', app]);
    try {
      await waitFor(hangar, 'the backlog', async () => follower.stdout().includes('report: 2 rows failed'));
      const id = await runReport();
      await waitFor({ output: () => `${hangar.output()}\n--- follow ---\n${follower.stdout()}` }, 'the later machine in the follow', async () => line(id, 'info', 'report: 2 rows failed').test(follower.stdout()), { timeoutMs: 15_000 });
    } finally {
      await follower.stop();
    }
  });
});

describe('hangar logs on real machines (podman runtime, e2e)', () => {
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  const app = `logsr-${uniqueSuffix()}`;
  let image: string;
  const serving = 'demo: serving /www on port 8080 \\(variant ok, label=v1\\)';

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_logs_real', namespace: testNamespace('lr'), tmpPrefix: 'hangar-logs-real-', extraEnv: { HANGAR_FLEET_RUNTIME: 'podman' } });
    ({ hangar } = e2e);
    image = (await pushDemoImages(`logsr-${uniqueSuffix()}`, { v1: { variant: 'ok', label: 'v1' } })).v1!.reference;
    await cliOk(hangar, ['apps', 'create', app]);
    writeFileSync(
      join(e2e.dir, 'fly.toml'),
      flyToml(app, image, '\n[http_service]\ninternal_port = 8080\n\n[[http_service.checks]]\ngrace_period = "0s"\ninterval = "500ms"\ntimeout = "1s"\nmethod = "GET"\npath = "/health"\n'),
    );
    await cliOk(hangar, ['deploy'], { cwd: e2e.dir, timeoutMs: 180_000 });
  });

  afterAll(async () => {
    await e2e?.stop();
    const { stdout } = await runPodman(['ps', '-a', '--filter', `label=hangar.app=${app}`, '--format', '{{.Names}}']).catch(() => ({ stdout: '' }));
    for (const name of stdout.trim().split('\n').filter(Boolean)) await runPodman(['rm', '-f', '-t', '0', name]);
  });

  it("shows each machine's container output with its machine id, stdout and stderr apart", async () => {
    const machine = (await statusOf(hangar, app)).machines.find((m) => m.managed);
    const logs = await cliOk(hangar, ['logs', '-a', app]);
    expect(logs.stdout).toMatch(line(machine!.id, 'info', serving));

    const run = await cliOk(hangar, ['machine', 'run', image, '-a', app, '--json', '--', '/bin/busybox', 'sh', '-c', 'echo to-stdout; echo to-stderr >&2'], { timeoutMs: 120_000 });
    const id = (JSON.parse(run.stdout) as { machine: { id: string } }).machine.id;
    const own = await waitFor(hangar, 'the one-shot machine to print both lines', async () => {
      const r = await cliOk(hangar, ['logs', '-a', app, '--machine', id]);
      return r.stdout.includes('to-stderr') && r.stdout;
    });
    expect(own).toMatch(line(id, 'info', 'to-stdout'));
    expect(own).toMatch(line(id, 'error', 'to-stderr'));
    expect(own).not.toContain(machine!.id);
  });

  it('following, shows the first line of a machine that starts after the follow began', async () => {
    const follower = follow(hangar, ['-a', app]);
    try {
      const first = (await statusOf(hangar, app)).machines.find((m) => m.managed);
      await waitFor(hangar, 'the backlog', async () => line(first!.id, 'info', serving).test(follower.stdout()));
      await cliOk(hangar, ['scale', 'count', '2', '-a', app], { timeoutMs: 180_000 });
      const added = (await statusOf(hangar, app)).machines.find((m) => m.managed && m.id !== first!.id)!;
      await waitFor({ output: () => `${hangar.output()}\n--- follow ---\n${follower.stdout()}` }, 'the new machine in the follow', async () => line(added.id, 'info', serving).test(follower.stdout()), { timeoutMs: 30_000 });
      expect(await podmanFollowers([first!.id, added.id])).not.toEqual([]);
      // The backlog is not printed again when the follow picks up the new container.
      expect(follower.stdout().match(new RegExp(`app\\[${first!.id}\\] local \\[info\\] ${serving}`, 'g'))).toHaveLength(1);
    } finally {
      await follower.stop();
    }
    // The client went: the gateway's request to fleet ends, and so does every `podman logs --follow` fleet ran for it.
    const ids = (await statusOf(hangar, app)).machines.map((m) => m.id);
    await waitFor(hangar, "fleet's podman log followers to end", async () => (await podmanFollowers(ids)).length === 0, { timeoutMs: 10_000 });
  });
});
