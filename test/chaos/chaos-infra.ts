import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { TEST_NATS_URL, TEST_PG_ADMIN_URL, freePort, uniqueSuffix } from '@hangar/testing';

const run = promisify(execFile);
const NATS_SERVER = '/usr/sbin/nats-server';

export interface ChaosDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * The Postgres and NATS a chaos session runs against. `private` ones belong to the session alone
 * (their own nats-server and Postgres cluster on free ports), so restarting them cannot break the
 * other test suites sharing this machine's services; `shared` ones are the machine's (what `npm test`
 * uses) and are never restarted.
 */
export interface ChaosInfra {
  readonly natsUrl: string;
  readonly pgAdminUrl: string;
  readonly restartable: boolean;
  createDatabase(): Promise<ChaosDatabase>;
  /** Stops NATS, keeps it down for `downMs`, starts it again on its JetStream data. */
  restartNats(downMs: number): Promise<void>;
  /** Stops Postgres (fast shutdown), keeps it down for `downMs`, starts it again. */
  restartPostgres(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export function sharedInfra(): ChaosInfra {
  return {
    natsUrl: TEST_NATS_URL,
    pgAdminUrl: TEST_PG_ADMIN_URL,
    restartable: false,
    createDatabase: () => createDatabase(TEST_PG_ADMIN_URL),
    restartNats: () => Promise.reject(new Error('the shared NATS is never restarted')),
    restartPostgres: () => Promise.reject(new Error('the shared Postgres is never restarted')),
    close: async () => undefined,
  };
}

/** A nats-server (JetStream on a directory of its own) and a Postgres cluster for this session only. */
export async function privateInfra(): Promise<ChaosInfra> {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-chaos-'));
  const [natsPort, pgPort] = await Promise.all([freePort(), freePort()]);
  const version = readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).pop()!;
  const cluster = `hangar_chaos_${uniqueSuffix()}`;
  const pgAdminUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
  let nats: ChildProcess | undefined;

  const startNats = async () => {
    nats = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', join(dir, 'nats')], { stdio: 'ignore' });
    await waitPort(natsPort, true);
  };
  const stopNats = async () => {
    const child = nats;
    nats = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const pgctl = (action: string, ...extra: string[]) => run('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, action, ...extra]);

  await run('pg_createcluster', [
    version, cluster, '-p', String(pgPort), '--start',
    '-o', 'fsync=off', '-o', 'synchronous_commit=off', '-o', 'full_page_writes=off', '-o', 'max_connections=300',
    '--', '--auth=trust',
  ]);
  await startNats();
  const close = async () => {
    await stopNats().catch(() => undefined);
    await run('pg_dropcluster', ['--stop', version, cluster]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    natsUrl: `nats://127.0.0.1:${natsPort}`,
    pgAdminUrl,
    restartable: true,
    createDatabase: () => createDatabase(pgAdminUrl),
    async restartNats(downMs) {
      await stopNats();
      await sleep(downMs);
      await startNats();
    },
    async restartPostgres(downMs) {
      await pgctl('stop', '-m', 'fast');
      await waitPort(pgPort, false);
      await sleep(downMs);
      await pgctl('start');
      await waitPort(pgPort, true);
    },
    close,
  };
}

async function createDatabase(adminUrl: string): Promise<ChaosDatabase> {
  const name = `hangar_chaos_${uniqueSuffix()}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Waits (up to 30 s) until the port accepts connections (`open`) or refuses them. */
async function waitPort(port: number, open: boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const accepting = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepting === open) return;
    await sleep(50);
  }
  throw new Error(`port ${port} did not ${open ? 'open' : 'close'} within 30 s`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
