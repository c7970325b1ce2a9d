import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { HangarError, type MachineView, type PushEvaluatedData, type ReleaseSummary } from '@hangar/contracts';
import { HttpMachinesApi } from '@hangar/machines-api';
import { HangarProcesses, type CliResult, type HangarProcessesOptions } from './hangar-processes';
import { buildMinimalImage } from './oci-image';
import { pushImage, TEST_REGISTRY_HOST, TEST_REGISTRY_URL } from './oci-push';
import { createTestDatabase, type TestDatabase } from './test-database';

/** What explains a timeout: a `HangarProcesses` (every service's output), or a wrapper that adds other logs. */
export interface Diagnosable {
  output(): string;
}

/** Runs the `hangar` CLI: a `HangarProcesses`, or a wrapper that also records what it prints. */
export type CliRunner = Pick<HangarProcesses, 'cli'>;
export type CliOptions = Parameters<HangarProcesses['cli']>[1];

export interface WaitForOptions {
  /** How long to keep probing, in ms; default 60 000. */
  timeoutMs?: number;
  /** Pause between probes, in ms; default 200. */
  intervalMs?: number;
}

/**
 * Probes until `probe` resolves to a truthy value and returns it. Past the deadline it throws
 * `timed out waiting for <what>` followed by `source.output()`, so a failure shows the services' logs.
 */
export async function waitFor<T>(source: Diagnosable, what: string, probe: () => Promise<T | undefined | false>, opts: WaitForOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${source.output()}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}

/** Runs `hangar <args>`; throws with the command, exit code, stdout and stderr unless it exits 0. */
export async function cliOk(hangar: CliRunner, args: string[], opts?: CliOptions): Promise<CliResult> {
  const r = await hangar.cli(args, opts);
  if (r.code !== 0) throw new Error(`hangar ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Runs `hangar <args> --json`, which must exit 0, and parses what it prints. */
export async function cliJson<T>(hangar: CliRunner, args: string[], opts?: CliOptions): Promise<T> {
  return JSON.parse((await cliOk(hangar, [...args, '--json'], opts)).stdout) as T;
}

/** One machine as `hangar status --json` lists it. */
export type MachineStatus = Pick<MachineView, 'id' | 'processGroup' | 'region' | 'state' | 'managed' | 'releaseVersion' | 'image' | 'volume' | 'mountPath'>;

/** `hangar status --json`'s document. */
export interface AppStatus {
  app: string;
  at?: string;
  machines: MachineStatus[];
}

/** `hangar status -a <app> --json` (must exit 0). */
export function statusOf(hangar: CliRunner, app: string): Promise<AppStatus> {
  return cliJson<AppStatus>(hangar, ['status', '-a', app]);
}

/** `hangar releases -a <app> --json` (must exit 0): the app's releases, newest first. */
export async function releasesOf(hangar: CliRunner, app: string): Promise<ReleaseSummary[]> {
  return (await cliJson<{ releases: ReleaseSummary[] }>(hangar, ['releases', '-a', app])).releases;
}

const FINISHED: readonly string[] = ['complete', 'failed', 'cancelled'];

/** Waits until release `version` of `app` is complete, failed or cancelled (default 90 s) and returns it. */
export function settledRelease(hangar: CliRunner & Diagnosable, app: string, version: number, timeoutMs = 90_000): Promise<ReleaseSummary> {
  return waitFor(hangar, `release v${version} of ${app} to finish`, async () => (await releasesOf(hangar, app)).find((r) => r.version === version && FINISHED.includes(r.status)), { timeoutMs });
}

export interface ApiResponse {
  status: number;
  ok: boolean;
  /** The parsed JSON body (`any`: tests read whatever route they call); undefined when the body is empty. */
  body: any;
  /** The body as sent, e.g. for leak checks. */
  text: string;
}

/** Calls the gateway's HTTP API with the admin token; `body`, when given, is sent as JSON. Never throws on a status. */
export async function apiRequest(hangar: Pick<HangarProcesses, 'apiUrl' | 'adminToken'>, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const res = await fetch(`${hangar.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${hangar.adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, ok: res.ok, body: text ? JSON.parse(text) : undefined, text };
}

/** What it takes to call fleet's API: its URL and token. */
export type FleetAccess = Pick<HangarProcesses, 'fleetUrl' | 'fleetToken'>;

/** `fetch` of a fleet path (`/v1/…` or `/fleet/v1/…`) with fleet's token. */
export function fleetFetch(hangar: FleetAccess, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${hangar.fleetUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${hangar.fleetToken}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
}

/** A fault for fleet to inject (apps/fleet `CreateFaultDto`): machines `match` picks suffer `effect`. */
export interface FleetFault {
  match: { app?: string; image?: string; machineId?: string; command?: string };
  /** `host-unreachable`: while the fault exists, the machines it matches are answered without config and refused every call. */
  effect: 'crash-on-start' | 'unhealthy' | 'slow-start' | 'update-error' | 'exit' | 'exit-nested' | 'vanish' | 'host-unreachable';
  /** `slow-start`: extra boot time; `exit`: run time before the exit; ms. */
  delayMs?: number;
  /** How many machines it may hit; unlimited when absent. */
  times?: number;
  /** `exit`: the exit code. */
  code?: number;
  logs?: string[];
}

/** Adds a fault through fleet's admin API; throws unless fleet accepts it. */
export async function addFault(hangar: FleetAccess, fault: FleetFault): Promise<void> {
  const res = await fleetFetch(hangar, '/fleet/v1/faults', { method: 'POST', body: JSON.stringify(fault) });
  if (!res.ok) throw new Error(`fleet refused fault ${JSON.stringify(fault)}: ${res.status} ${await res.text()}`);
}

/** Removes every fault from fleet. */
export async function clearFaults(hangar: FleetAccess): Promise<void> {
  const res = await fleetFetch(hangar, '/fleet/v1/faults', { method: 'DELETE' });
  if (!res.ok) throw new Error(`fleet refused to clear faults: ${res.status} ${await res.text()}`);
}

/**
 * Holds fleet leases on the given machines, as another deployer would: machine-updater cannot
 * touch them (it retries a held lease) until the returned function releases them. This is how a
 * test keeps a release running for as long as it needs, whatever the machine's load.
 */
export async function holdLeases(hangar: FleetAccess, app: string, machineIds: readonly string[], ttlSec = 600): Promise<() => Promise<void>> {
  const api = new HttpMachinesApi({ baseUrl: hangar.fleetUrl, token: hangar.fleetToken });
  const leases = await Promise.all(machineIds.map(async (id) => ({ id, nonce: (await api.acquireLease(app, id, ttlSec, 'held by a test')).nonce })));
  return async () => {
    await Promise.all(leases.map(({ id, nonce }) => api.releaseLease(app, id, nonce)));
  };
}

/** One machine as fleet's Machines API lists it (destroyed ones included). */
export interface FleetMachine {
  id: string;
  state: string;
  config: { image?: string; env?: Record<string, string>; metadata?: Record<string, string>; mounts?: { volume?: string; path: string; name?: string }[] };
}

/** `GET /v1/apps/<app>/machines` on fleet: the machines as they really are, env and metadata included. */
export async function fleetMachines(hangar: FleetAccess, app: string): Promise<FleetMachine[]> {
  const res = await fleetFetch(hangar, `/v1/apps/${app}/machines`);
  return (await res.json()) as FleetMachine[];
}

/**
 * Sends a request-reply command over NATS (`subject` from `commandSubject`) on `nc`, as whoever `nc`
 * authenticated as (a publisher from `natsPublisher`), and parses the reply; an `error` in it is the
 * caller's to check. Times out after 30 s.
 */
export async function natsCommand<T>(nc: NatsConnection, subject: string, payload: unknown): Promise<T> {
  const msg = await nc.request(subject, Buffer.from(JSON.stringify(payload)), { timeout: 30_000 });
  return JSON.parse(Buffer.from(msg.data).toString('utf8')) as T;
}

/**
 * Creates API token `name` (default: the identity's name) with `scopes`, bound to outside NATS
 * publisher `identity` of this instance (`hangar tokens create --nats-key`), and connects as that
 * publisher: its commands act as the token. The identity must be among the instance's `nats.publishers`.
 */
export async function natsPublisher(hangar: HangarProcesses, identity: string, scopes: readonly string[], name = identity): Promise<NatsConnection> {
  const key = hangar.natsServer?.publicKey(identity);
  if (!key) throw new Error('natsPublisher needs an instance with its own NATS server');
  const created = await hangar.cli(['tokens', 'create', name, ...scopes.flatMap((s) => ['--scope', s]), '--nats-key', key, '--json']);
  if (created.code !== 0) throw new Error(`hangar tokens create ${name} failed (${created.code}): ${created.stderr}`);
  return hangar.natsConnect(identity);
}

/** What builder made of a recorded push (its `PushEvaluated` data), once it has evaluated it; waits up to 60 s. */
export function pushEvaluation(pg: Client, source: Diagnosable, pushEventId: string): Promise<PushEvaluatedData> {
  return waitFor(source, `evaluation of push ${pushEventId}`, async () => {
    const { rows } = await pg.query<{ data: PushEvaluatedData }>(`SELECT data FROM events WHERE type = 'PushEvaluated' AND data->>'pushEventId' = $1`, [pushEventId]);
    return rows[0]?.data;
  });
}

/** Pushes a fresh minimal image to the test registry as `repo:<tag>` for each tag, in order; resolves to tag → `host/repo:tag`. */
export async function pushTestImages(repo: string, tags: readonly string[]): Promise<Record<string, string>> {
  const images: Record<string, string> = {};
  for (const tag of tags) {
    await pushImage(TEST_REGISTRY_URL, repo, tag, buildMinimalImage());
    images[tag] = `${TEST_REGISTRY_HOST}/${repo}:${tag}`;
  }
  return images;
}

/** A fly.toml for `app` in region `local` running `image`, then `extra` (more sections, each after a blank line). */
export function flyToml(app: string, image: string, extra = ''): string {
  return `app = "${app}"\nprimary_region = "local"\n\n[build]\nimage = "${image}"\n${extra}`;
}

export interface HangarE2eOptions extends Omit<HangarProcessesOptions, 'databaseUrl'> {
  /** Prefix of the test database's name. */
  databasePrefix: string;
  /** Prefix of the temporary directory's name; default `hangar-e2e-`. */
  tmpPrefix?: string;
}

/** One e2e test file's Hangar: its own database, the services as processes, a Postgres client and a directory. */
export interface HangarE2e {
  readonly db: TestDatabase;
  /** Connected to `db`, for reading the event store. */
  readonly pg: Client;
  /** Started. */
  readonly hangar: HangarProcesses;
  /** A fresh temporary directory, e.g. for fly.toml files. */
  readonly dir: string;
  /** Closes `pg`, stops the services and drops the database. */
  stop(): Promise<void>;
}

/** Creates a database, connects to it and starts every service on it; if any step fails, undoes the others and rethrows. */
export async function startHangarE2e(opts: HangarE2eOptions): Promise<HangarE2e> {
  const { databasePrefix, tmpPrefix = 'hangar-e2e-', ...processes } = opts;
  const db = await createTestDatabase(databasePrefix);
  const pg = new Client({ connectionString: db.url });
  const hangar = new HangarProcesses({ ...processes, databaseUrl: db.url });
  const stop = async () => {
    await pg.end();
    await hangar.stop();
    await db.drop();
  };
  try {
    await pg.connect();
    await hangar.start();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { db, pg, hangar, dir: mkdtempSync(join(tmpdir(), tmpPrefix)), stop };
}

/** The `HangarError` a promise rejects with; throws when it resolves or rejects with anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<HangarError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HangarError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}
