import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addFault,
  clearFaults,
  cliJson,
  fleetFetch,
  flyToml,
  pushTestImages,
  startHangarE2e,
  statusOf,
  testNamespace,
  uniqueSuffix,
  type HangarE2e,
  type HangarProcesses,
  type MachineStatus,
} from '@hangar/testing';
import { MachinesContract, type Exchange } from '../libs/machines-api/contract/machines-contract';
import { FLEET_ONLY_ROUTES } from '../libs/machines-api/contract/fly-go-differences';

type TimelineEvent = { machine_id: string; type: string; status: string };

/**
 * Issue 14: every request the client sends and every answer fleet gives during a full scenario,
 * recorded at fleet's HTTP layer (`HANGAR_FLEET_RECORD`), must be what the Fly Machines API spec
 * plus fly-go's documented differences allow. Fleet runs as strictly as Fly: a per-machine rate
 * limit low enough that deploys meet sustained 429s, and machines whose host becomes unreachable.
 */
describe('Machines API contract (e2e)', () => {
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  let dir: string;
  let record: string;
  let images: Record<string, string> = {};
  const repo = `contract-${uniqueSuffix()}`;

  beforeAll(async () => {
    record = join(tmpdir(), `machines-contract-${uniqueSuffix()}.ndjson`);
    e2e = await startHangarE2e({
      databasePrefix: 'hangar_e2e_contract',
      namespace: testNamespace('k'),
      fleetBootMs: 40,
      tmpPrefix: 'hangar-contract-',
      // Fly's limits are per machine and action; 2 a second with a burst of 2 makes every deploy's health polling meet 429s.
      extraEnv: { HANGAR_FLEET_RECORD: record, HANGAR_FLEET_RATE_LIMIT: '2/2' },
    });
    ({ hangar, dir } = e2e);
    images = await pushTestImages(repo, ['v1', 'v2', 'v3', 'v4', 'v5']);
  }, 180000);

  afterAll(async () => {
    await e2e?.stop();
    rmSync(record, { force: true });
  });

  afterEach(() => clearFaults(hangar));

  const cli = (args: string[]) => hangar.cli(args, { cwd: dir });
  const deploy = (app: string, ...args: string[]) => cli(['deploy', '-c', `${app}.toml`, ...args]);
  const exchanges = (): Exchange[] =>
    readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Exchange);

  async function newApp(extraToml = ''): Promise<string> {
    const app = `ct-${uniqueSuffix()}`;
    expect((await cli(['apps', 'create', app])).code).toBe(0);
    writeFileSync(join(dir, `${app}.toml`), flyToml(app, images.v1!, `\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "10s"\ntimeout = "2s"\n${extraToml}`));
    return app;
  }

  async function timeline(app: string): Promise<TimelineEvent[]> {
    return ((await (await fleetFetch(hangar, `/fleet/v1/apps/${app}/timeline`)).json()) as { events: TimelineEvent[] }).events;
  }

  it('a rolling deploy meeting sustained 429s completes, slower, with no machine updated twice', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    expect((await cli(['scale', 'count', '4', '-a', app])).code).toBe(0);
    const before = (await statusOf(hangar, app)).machines;
    expect(before).toHaveLength(4);
    const seen = exchanges().length;

    const r = await deploy(app, '-i', images.v2!, '--strategy', 'rolling', '--max-unavailable', '2');

    expect(r.code).toBe(0);
    const during = exchanges().slice(seen).filter((x) => x.path.startsWith(`/v1/apps/${app}/`));
    const limited = during.filter((x) => x.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((x) => Number(x.response.retryAfter) >= 1)).toBe(true);
    const after = (await statusOf(hangar, app)).machines;
    expect(after.map((m) => m.id).sort()).toEqual(before.map((m) => m.id).sort());
    expect(after.every((m) => m.releaseVersion === 2)).toBe(true);
    // From fleet's side: the v2 release updated each machine exactly once (v1's first deploy made them with `launch`).
    const updates = (await timeline(app)).filter((e) => e.type === 'update');
    for (const m of before) expect(updates.filter((e) => e.machine_id === m.id)).toHaveLength(1);
  });

  it('a machine whose host is unreachable is skipped with a warning; status shows it; nothing crashes', async () => {
    const app = await newApp();
    expect((await deploy(app)).code).toBe(0);
    const [lost, ...rest] = (await statusOf(hangar, app)).machines.sort((a, b) => a.id.localeCompare(b.id));
    await addFault(hangar, { match: { app, machineId: lost!.id }, effect: 'host-unreachable' });

    const status = await cli(['status', '-a', app]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${lost!.id}.*\\(host unreachable\\)`));
    const json = await cliJson<{ machines: (MachineStatus & { hostStatus?: string })[] }>(hangar, ['status', '-a', app, '--json'], { cwd: dir });
    expect(json.machines.find((m) => m.id === lost!.id)).toMatchObject({ hostStatus: 'unreachable', managed: true, releaseVersion: 1 });

    const r = await deploy(app, '-i', images.v3!);

    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`WARN Machine ${lost!.id} [app] is on an unreachable host (host_status unreachable): skipped`);
    const after = (await statusOf(hangar, app)).machines;
    expect(after.find((m) => m.id === lost!.id)).toMatchObject({ releaseVersion: 1 });
    for (const m of rest) expect(after.find((x) => x.id === m.id)).toMatchObject({ releaseVersion: 2 });
    expect((await cli(['machine', 'clone', lost!.id, '-a', app])).stderr).toMatch(/unreachable host/);
  });

  it('every exchange of a full scenario is what the Fly Machines API spec and fly-go allow', async () => {
    const app = await newApp('\n[http_service]\ninternal_port = 8080\n');
    // First deploy, scale, rolling, canary, bluegreen.
    expect((await deploy(app)).code).toBe(0);
    expect((await cli(['scale', 'count', '3', '-a', app])).code).toBe(0);
    expect((await deploy(app, '-i', images.v2!)).code).toBe(0);
    expect((await deploy(app, '-i', images.v3!, '--strategy', 'canary')).code).toBe(0);
    expect((await deploy(app, '-i', images.v4!, '--strategy', 'bluegreen')).code).toBe(0);
    // Release command failing, then passing.
    const withCommand = `${app}-rc.toml`;
    writeFileSync(join(dir, withCommand), `${readFileSync(join(dir, `${app}.toml`), 'utf8')}\n[deploy]\nrelease_command = "bin/migrate"\n`);
    await addFault(hangar, { match: { app, command: 'bin/migrate' }, effect: 'exit', code: 3, logs: ['boom'], times: 1 });
    expect((await cli(['deploy', '-c', withCommand, '-i', images.v5!])).code).toBe(1);
    expect((await cli(['deploy', '-c', withCommand, '-i', images.v5!])).code).toBe(0);
    // Secrets, volumes, unmanaged machines, clone, destroy.
    expect((await cli(['secrets', 'set', 'API_KEY=s3cr3t-value', '-a', app])).code).toBe(0);
    expect((await cli(['volumes', 'create', 'data', '-r', 'local', '-a', app])).code).toBe(0);
    expect((await cli(['volumes', 'list', '-a', app])).code).toBe(0);
    const run = await cliJson<{ machine: MachineStatus }>(hangar, ['machine', 'run', images.v1!, '-v', 'data:/data', '-a', app, '--json'], { cwd: dir });
    const [managed] = (await statusOf(hangar, app)).machines.filter((m) => m.managed);
    const clone = await cliJson<{ machine: MachineStatus }>(hangar, ['machine', 'clone', managed!.id, '-a', app, '--json'], { cwd: dir });
    expect((await cli(['machine', 'destroy', clone.machine.id, '--force', '-a', app])).code).toBe(0);
    expect((await cli(['machine', 'destroy', run.machine.id, '--force', '-a', app])).code).toBe(0);

    const contract = new MachinesContract();
    const all = exchanges();
    expect(readFileSync(record, 'utf8')).not.toContain('s3cr3t-value');
    const verdicts = all.map((x) => ({ x, ...contract.check(x) }));
    const failures = verdicts.filter((v) => v.problems.length > 0).map((v) => `${v.x.method} ${v.x.path} → ${v.x.status}: ${v.problems.join('; ')}`);
    expect([...new Set(failures)]).toEqual([]);

    // The scenario reached every operation a deploy depends on, and nothing relied on a header Fly ignores.
    const operations = new Set(verdicts.map((v) => v.operation));
    for (const expected of [
      'POST /apps/{app_name}/machines',
      'GET /apps/{app_name}/machines',
      'GET /apps/{app_name}/machines/{machine_id}',
      'POST /apps/{app_name}/machines/{machine_id}',
      'DELETE /apps/{app_name}/machines/{machine_id}',
      'POST /apps/{app_name}/machines/{machine_id}/lease',
      'DELETE /apps/{app_name}/machines/{machine_id}/lease',
      'POST /apps/{app_name}/machines/{machine_id}/cordon',
      'POST /apps/{app_name}/machines/{machine_id}/uncordon',
      'POST /apps/{app_name}/machines/{machine_id}/stop',
      'GET /apps/{app_name}/machines/{machine_id}/wait',
      'GET /apps/{app_name}/volumes',
      'POST /apps/{app_name}/volumes',
    ]) {
      expect(operations).toContain(expected);
    }
    expect(all.some((x) => x.status === 429)).toBe(true);
    expect(FLEET_ONLY_ROUTES.map((r) => r.route)).toContain('/fleet/v1/faults');
  });
});
