import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import type { Client } from 'pg';
import { canonicalJson } from '@hangar/event-store';
import {
  HangarProcesses,
  addFault,
  apiRequest,
  clearFaults,
  fleetMachines,
  flyToml,
  pushTestImages,
  releasesOf,
  startHangarE2e,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type ApiResponse,
  type CliResult,
  type CliRunner,
  type FleetMachine,
  type HangarE2e,
} from '@hangar/testing';

/**
 * Issue 5 acceptance, end to end: secret changes are releases that deliver the values to every
 * managed machine (read back from fleet), staged changes wait for `secrets deploy`, a crash of the
 * secrets service delays a redeploy without losing it, and no value ever leaks (DESIGN G5).
 */
describe('hangar secrets (e2e)', () => {
  const ns = testNamespace('sx');
  const app = `sec-${uniqueSuffix()}`;
  const key1 = randomBytes(32).toString('base64');
  const key2 = randomBytes(32).toString('base64');
  /** Every secret value set in this file: none may appear anywhere but ciphertext and fleet's machines. */
  const canaries: string[] = [];
  /** Every CLI output and API response of this file. */
  const transcripts: string[] = [];
  const natsHits: string[] = [];
  const natsSubjects = new Set<string>();
  let natsMessages = 0;
  let e2e: HangarE2e;
  let pg: Client;
  let nc: NatsConnection;
  let hangar: HangarProcesses;
  let dir: string;
  let images: Record<string, string> = {};

  const canary = (label: string) => {
    const value = `${label}-${randomBytes(16).toString('hex')}`;
    canaries.push(value);
    return value;
  };

  /** The CLI, keeping what it prints for the leak check. */
  const transcribed: CliRunner = {
    async cli(args, opts) {
      const r = await hangar.cli(args, opts);
      transcripts.push(r.stdout, r.stderr);
      return r;
    },
  };

  function cli(args: string[], opts: { input?: string; global?: boolean } = {}): Promise<CliResult> {
    return transcribed.cli(opts.global ? args : [...args, '-a', app], { cwd: dir, ...(opts.input === undefined ? {} : { input: opts.input }) });
  }

  async function api(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const res = await apiRequest(hangar, method, path, body);
    transcripts.push(res.text);
    return res;
  }

  async function managed(): Promise<FleetMachine[]> {
    return (await fleetMachines(hangar, app)).filter((m) => m.config.metadata?.fly_platform_version === 'v2' && m.state !== 'destroyed');
  }

  const releases = () => releasesOf(transcribed, app);

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_secrets_e2e', namespace: ns, fleetBootMs: 50, extraEnv: { HANGAR_SECRETS_KEY: key1 }, tmpPrefix: 'hangar-secrets-' });
    ({ pg, hangar, dir } = e2e);
    // Everything on the bus while this file runs: every command, reply and feed message the services exchange.
    nc = await hangar.natsServer!.connectWiretap();
    nc.subscribe('>', {
      callback: (_err, msg) => {
        natsMessages += 1;
        natsSubjects.add(msg.subject.startsWith('_INBOX') ? '_INBOX' : msg.subject);
        const text = Buffer.from(msg.data).toString('latin1');
        for (const c of canaries) if (needles(c).some((n) => text.includes(n))) natsHits.push(`${msg.subject}: ${c}`);
      },
    });
    await nc.flush();
    images = await pushTestImages(`sec-${uniqueSuffix()}`, ['v1', 'v2']);
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, images.v1!, '\n[env]\nGREETING = "from-fly-toml"\n\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\n'));
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    const staged = await cli(['secrets', 'set', `EARLY=${canary('early')}`]);
    expect(staged.code).toBe(0);
    expect(staged.stdout).toContain(`Secrets are staged for the first deployment of ${app} (version 1)`);
    expect((await cli(['deploy'])).code).toBe(0);
    expect((await cli(['scale', 'count', '3'])).code).toBe(0);
  }, 180000);

  afterAll(async () => {
    await nc?.drain();
    await e2e?.stop();
  });

  it('delivers secrets staged before the first deployment with it', async () => {
    const machines = await managed();
    expect(machines).toHaveLength(3);
    expect(machines.every((m) => m.config.env?.EARLY === canaries[0])).toBe(true);
  });

  it('secrets set on an app with 3 machines creates release vN+1 whose machines have the value; a secret overrides [env]', async () => {
    const before = (await releases())[0]!.version;
    const dbUrl = canary('db');
    const greeting = canary('greeting');
    const r = await cli(['secrets', 'set', `DATABASE_URL=${dbUrl}`, `GREETING=${greeting}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Secrets are set (version 2)');
    expect(r.stdout).toContain(`Release v${before + 1} (trigger secrets) delivers secrets version 2`);
    expect(r.stdout).toContain('  Finished deploying');
    expect((await releases())[0]).toMatchObject({ version: before + 1, trigger: 'secrets', status: 'complete' });
    const machines = await managed();
    expect(machines).toHaveLength(3);
    for (const m of machines) {
      expect(m.config.env).toMatchObject({ DATABASE_URL: dbUrl, GREETING: greeting, EARLY: canaries[0] });
      expect(m.config.metadata?.fly_release_version).toBe(String(before + 1));
    }
    const list = JSON.parse((await cli(['secrets', 'list', '--json'])).stdout);
    expect(list.secrets.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['DATABASE_URL', 'deployed'],
      ['EARLY', 'deployed'],
      ['GREETING', 'deployed'],
    ]);
  });

  it('--stage (a value of - read from stdin) creates no release until secrets deploy', async () => {
    const before = await releases();
    const cert = canary('cert');
    const r = await cli(['secrets', 'set', 'TLS_CERT=-', '--stage'], { input: `${cert}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Secrets are staged (version 3)');
    // The releaser has seen the staged change (its consumer recorded it processed) and made no release.
    await waitFor(hangar, 'releaser to process the staged change', async () => {
      const { rows } = await pg.query(
        `SELECT 1 FROM processed_messages p JOIN events e ON e.event_id = p.event_id
         WHERE e.stream_id = $1 AND e.type = 'SecretsUpdated' AND (e.data->>'version')::int = 3 AND p.consumer LIKE '%secrets-release-SecretsUpdated'`,
        [`secrets-${app}`],
      );
      return rows.length > 0;
    });
    expect(await releases()).toEqual(before);
    expect((await managed()).some((m) => m.config.env?.TLS_CERT !== undefined)).toBe(false);
    const list = JSON.parse((await cli(['secrets', 'list', '--json'])).stdout);
    expect(list.secrets.find((s: { name: string }) => s.name === 'TLS_CERT')).toMatchObject({ status: 'staged' });

    const deploy = await cli(['secrets', 'deploy']);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain(`Release v${before[0]!.version + 1} (trigger secrets) delivers secrets version 3`);
    expect((await managed()).every((m) => m.config.env?.TLS_CERT === cert)).toBe(true);
    const again = await cli(['secrets', 'deploy']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('has no staged secret changes');
  });

  it('unset removes it from every machine; deploys and scaling keep the other secrets', async () => {
    expect((await cli(['secrets', 'unset', 'TLS_CERT'])).code).toBe(0);
    let machines = await managed();
    expect(machines.some((m) => 'TLS_CERT' in (m.config.env ?? {}))).toBe(false);
    expect(machines.every((m) => m.config.env?.DATABASE_URL === canaries[1])).toBe(true);

    expect((await cli(['deploy', '-i', images.v2!])).code).toBe(0);
    expect((await cli(['scale', 'count', '4'])).code).toBe(0);
    machines = await managed();
    expect(machines).toHaveLength(4);
    expect(machines.every((m) => m.config.env?.DATABASE_URL === canaries[1] && m.config.env?.GREETING === canaries[2])).toBe(true);
    expect((await cli(['scale', 'count', '3'])).code).toBe(0);
  });

  it('a crash of the secrets service mid-redeploy delays the release, and it completes after the restart', async () => {
    await addFault(hangar, { match: { app }, effect: 'slow-start', delayMs: 1500 });
    const value = canary('crash');
    const set = await cli(['secrets', 'set', `AFTER_CRASH=${value}`, '--detach']);
    expect(set.code).toBe(0);
    const version = Number(/version (\d+)/.exec(set.stdout)![1]);
    const releaseId = await waitFor(hangar, 'the secrets release', async () => {
      const { rows } = await pg.query(`SELECT data->>'releaseId' AS id FROM events WHERE type = 'ReleaseQueued' AND data->>'app' = $1 AND (data->>'secretsVersion')::int = $2`, [app, version]);
      return rows[0]?.id as string | undefined;
    });
    await waitFor(hangar, 'the first machine update', async () => {
      const { rows } = await pg.query(`SELECT 1 FROM events WHERE type = 'MachineUpdateStarted' AND data->>'releaseId' = $1`, [releaseId]);
      return rows.length > 0;
    });
    await hangar.stopOne('secrets', 'SIGKILL');
    // A bad or missing key stops the service with a message naming the variable.
    await expect(hangar.startOne('secrets', { env: { HANGAR_SECRETS_KEY: 'c2hvcnQ=' } })).rejects.toThrow(/HANGAR_SECRETS_KEY: must be 32 random bytes/);
    await expect(hangar.startOne('secrets', { env: { HANGAR_SECRETS_KEY: '', NODE_ENV: 'production' } })).rejects.toThrow(/HANGAR_SECRETS_KEY: is required when NODE_ENV=production/);
    await waitFor(hangar, 'an operation waiting for the secrets service', async () => hangar.output('machine-updater').includes('waits for the secrets service'));
    await hangar.startOne('secrets');
    await waitFor(hangar, 'the release to complete', async () => {
      const { rows } = await pg.query(`SELECT type FROM events WHERE stream_id = $1 AND type IN ('ReleaseCompleted', 'ReleaseFailed')`, [`release-${releaseId}`]);
      return rows[0]?.type as string | undefined;
    }).then((type) => expect(type).toBe('ReleaseCompleted'));
    const machines = await managed();
    expect(machines).toHaveLength(3);
    expect(machines.every((m) => m.config.env?.AFTER_CRASH === value)).toBe(true);
    await clearFaults(hangar);
  });

  it('leaks no value: not in events, on the bus, in logs, in API or CLI output; only ciphertext and fleet hold it', async () => {
    const secret = canary('leak');
    // A redeploy through the HTTP API, and the read routes.
    const set = await api('POST', `/v1/apps/${app}/secrets`, { set: { LEAK_SECRET: secret } });
    expect(set.status).toBe(201);
    await waitFor(hangar, 'the leak redeploy', async () => (await managed()).every((m) => m.config.env?.LEAK_SECRET === secret));
    await api('GET', `/v1/apps/${app}/secrets`);
    await api('GET', `/v1/apps/${app}/machines`);
    const { body: rel } = await api('GET', `/v1/apps/${app}/releases`);
    await api('GET', `/v1/apps/${app}/releases/v${rel.releases[0].version}/events`);
    // Error paths carrying the value: bad names, a reserved name, a value too large, a bad body.
    expect((await cli(['secrets', 'set', `bad-name=${secret}`])).code).toBe(2);
    expect((await api('POST', `/v1/apps/${app}/secrets`, { set: { FLY_TOKEN: secret, ok_not: secret } })).status).toBe(422);
    expect((await api('POST', `/v1/apps/${app}/secrets`, { set: { BIG: secret.repeat(3000) } })).status).toBe(422);
    expect((await api('POST', `/v1/apps/${app}/secrets`, { set: secret })).status).toBe(400);
    // A failing redeploy: the updated machine never passes its check. A deploy with a short wait
    // timeout first, so the secrets release (which takes the current release's settings) fails fast.
    expect((await cli(['deploy', '--wait-timeout', '3s'])).code).toBe(0);
    await addFault(hangar, { match: { app }, effect: 'unhealthy' });
    const second = canary('leak2');
    const failing = await cli(['secrets', 'set', `LEAK_TWO=${second}`]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^Error: release v\d+ failed: /m);
    await clearFaults(hangar);
    // A rotation, then a redeploy under the new key still delivers the value.
    await hangar.stopOne('secrets');
    await hangar.startOne('secrets', { env: { HANGAR_SECRETS_KEY: key2, HANGAR_SECRETS_KEY_PREVIOUS: key1 } });
    const rotated = await cli(['secrets', 'rotate-key'], { global: true });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('Re-wrapped the data keys of 1 app(s)');
    expect((await cli(['secrets', 'set', `AFTER_ROTATION=${canary('rotation')}`])).code).toBe(0);
    expect((await managed()).every((m) => m.config.env?.LEAK_SECRET === secret && m.config.env?.LEAK_TWO === second)).toBe(true);

    const leaks: string[] = [];
    const check = (where: string, text: string) => {
      for (const c of canaries) if (needles(c).some((n) => text.includes(n))) leaks.push(`${where}: ${c.slice(0, 12)}…`);
    };
    // Every table of Hangar's (all columns, the hash input of each event too), but the ciphertext.
    const { rows: tables } = await pg.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['events', 'secret_values', 'secret_data_keys']));
    for (const { table_name: table } of tables) {
      const { rows } = await pg.query(`SELECT t::text AS row FROM "${table}" t`);
      // The ciphertext table too: its bytea prints as hex, so a plaintext value would show as one needle.
      for (const r of rows) check(`table ${table}`, r.row);
    }
    const { rows: events } = await pg.query(`SELECT type, data, metadata FROM events`);
    for (const e of events) check('event hash input', `${e.type}${canonicalJson(e.data)}${canonicalJson(e.metadata)}`);
    expect(events.length).toBeGreaterThan(50);
    expect(natsMessages).toBeGreaterThan(100);
    // The capture saw the set commands, the deliveries and their (sealed) replies.
    expect([...natsSubjects]).toEqual(expect.arrayContaining([`${ns}.cmd.secrets.set`, `${ns}.cmd.secrets.get-values`, '_INBOX']));
    leaks.push(...natsHits.map((h) => `nats ${h.slice(0, 80)}`));
    check('service output', hangar.output());
    transcripts.forEach((t, i) => check(`response ${i}`, t));
    expect(leaks).toEqual([]);
  });
});

/** The value, its base64 (at each alignment, as inside a larger base64 blob), base64url and hex. */
function needles(value: string): string[] {
  const out = [value, Buffer.from(value).toString('hex')];
  for (const pad of ['', 'x', 'xx']) {
    const b64 = Buffer.from(pad + value).toString('base64');
    const core = b64.slice(pad.length === 0 ? 0 : 4, -4);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}
