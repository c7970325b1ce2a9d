import { connect } from 'nats';
import { eventsStreamName } from '@hangar/contracts';
import { ALL_SERVICES, HangarProcesses, testNamespace, uniqueSuffix, type HangarService } from '@hangar/testing';
import { checkRun, type Violations } from './fleet-timeline.checks';
import { FleetClient } from './chaos-fleet';
import { sleep, type ChaosInfra } from './chaos-infra';
import { ChaosStore } from './chaos-store';
import { NatsProxy } from './nats-proxy';
import { seededRandom, type Random } from './random';

export interface RunSettings {
  seed: number;
  /** Services talk to NATS through a proxy that delays bytes and cuts connections. */
  lossy: boolean;
  /** Range of managed machines. */
  machines: readonly [number, number];
  /** Range of service kills. */
  kills: readonly [number, number];
  /** Also restart NATS and Postgres in some runs (only with restartable infra). */
  infraRestarts: boolean;
  images: { seed: string; first: string; second: string };
  log(line: string): void;
}

export interface RunResult {
  seed: number;
  kills: number;
  releases: number;
  machines: number;
  violations: Violations;
  /** Per releaser restart: ms to its next recorded decision. */
  resumeMs: number[];
  /** What else happened, for the run's report line. */
  notes: string[];
}

type Step = 'kill' | 'deploy' | 'nats' | 'postgres' | 'purge';
/** The relay holder is picked through Postgres, the others by name; fleet is the machines API going away. */
const VICTIMS: readonly (readonly [HangarService | 'relay-holder', number])[] = [
  ['releaser', 3],
  ['machine-updater', 3],
  ['relay-holder', 2],
  ['builder', 1],
  ['gateway', 1],
  ['fleet', 1],
];
const RECONCILE_INTERVAL_MS = 1000;
const SETTLE_TIMEOUT_MS = 240_000;

/**
 * One chaos run (issue 4 §3): its own namespace, database and processes; an app with managed and
 * unmanaged machines seeded straight into fleet; a rolling deploy, a second deploy queued behind it,
 * SIGKILLs of random services (and, in some runs, NATS or Postgres restarts) at random moments with
 * random downtimes; then the verdict from fleet's own record.
 */
export async function chaosRun(infra: ChaosInfra, settings: RunSettings): Promise<RunResult> {
  const rnd = seededRandom(settings.seed);
  const machineCount = rnd.int(...settings.machines);
  const maxUnavailable = rnd.int(2, 4);
  const steps = plan(rnd, settings, infra.restartable);
  const db = await infra.createDatabase();
  const namespace = testNamespace('c');
  const proxy = settings.lossy
    ? new NatsProxy({ target: natsTarget(infra.natsUrl), random: rnd.next, meanConnectionLifeMs: 4000, maxDelayMs: 30 })
    : undefined;
  await proxy?.start();
  const hangar = new HangarProcesses({
    databaseUrl: db.url,
    namespace,
    fleetBootMs: rnd.int(50, 200),
    extraEnv: { NATS_URL: proxy?.url ?? infra.natsUrl, HANGAR_RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS) },
  });
  const store = new ChaosStore(db.url);
  const notes: string[] = [];
  /** Killed on purpose and not restarted yet, or being restarted by the watchdog: one owner at a time. */
  const down = new Set<HangarService>();
  const restarting = new Set<HangarService>();
  const restarts: number[] = [];
  let kills = 0;
  let watching = true;
  let watchdog: Promise<void> = Promise.resolve();
  try {
    // As a supervisor would: fleet first (it creates its schema), then the rest, each restarted if it dies at boot.
    await hangar.start([]);
    await restart(hangar, 'fleet', settings.log);
    await Promise.all(ALL_SERVICES.filter((s) => s !== 'fleet').map((s) => restart(hangar, s, settings.log)));
    const fleet = new FleetClient(hangar.fleetUrl);
    const app = `chaos-${uniqueSuffix()}`;
    await createApp(hangar, app);
    const { managedIds, unmanagedIds } = await fleet.seed(app, settings.images.seed, machineCount, 2);
    const deploy = (image: string) => deployOnce(hangar, store, app, image, maxUnavailable);
    await deploy(settings.images.first);

    watchdog = (async () => {
      while (watching) {
        for (const s of ALL_SERVICES) {
          if (watching && !down.has(s) && hangar.pid(s) === undefined) {
            notes.push(`${s} exited by itself`);
            restarting.add(s);
            await restart(hangar, s, settings.log).finally(() => restarting.delete(s));
          }
        }
        await sleep(500);
      }
    })();

    for (const step of steps) {
      await sleep(rnd.int(100, 1200));
      const releases = await store.releases(app);
      if (step !== 'deploy' && releases.length === 2 && releases.every((r) => r.endedAt !== undefined)) break;
      if (step === 'deploy') await deploy(settings.images.second);
      else if (step === 'nats') await infra.restartNats(rnd.int(200, 1500)).then(() => notes.push('NATS restarted'));
      else if (step === 'postgres') await infra.restartPostgres(rnd.int(200, 1500)).then(() => notes.push('Postgres restarted'));
      else if (step === 'purge') notes.push(`${await purgeFeed(infra.natsUrl, namespace)} messages lost from the feed`);
      else {
        const victim = await pickVictim(rnd, hangar, store, namespace);
        while (restarting.has(victim)) await sleep(100);
        down.add(victim);
        await hangar.stopOne(victim, 'SIGKILL');
        kills += 1;
        await sleep(rnd.int(100, 1500));
        const at = await restart(hangar, victim, settings.log);
        down.delete(victim);
        if (victim === 'releaser') restarts.push(at);
        notes.push(`killed ${victim}`);
      }
    }

    const releases = await settle(store, app);
    watching = false;
    await watchdog;
    const violations = checkRun({
      maxUnavailable,
      managedIds,
      unmanagedIds,
      releases,
      timeline: await fleet.timeline(app),
      machines: await fleet.machines(app),
    });
    const resumeMs: number[] = [];
    for (const at of restarts) {
      const ms = await store.firstDecisionAfter(at);
      if (ms !== undefined) resumeMs.push(ms);
    }
    if (proxy) notes.push(`${proxy.cuts} NATS connections cut`);
    notes.push(`${await store.resumedOperations(app)} operations resumed`);
    if (violations.messages.length > 0) settings.log(hangar.output().split('\n').filter((l) => /warn|error/i.test(l)).slice(-40).join('\n'));
    return { seed: settings.seed, kills, releases: releases.length, machines: machineCount, violations, resumeMs, notes };
  } finally {
    watching = false;
    await watchdog.catch(() => undefined);
    await hangar.stop().catch(() => undefined);
    await proxy?.stop();
    await store.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

/** The run's chaos script: the kills, the second deploy early among them, and the infrastructure restarts. */
function plan(rnd: Random, settings: RunSettings, restartable: boolean): Step[] {
  const steps: Step[] = Array.from({ length: rnd.int(...settings.kills) }, () => 'kill');
  if (restartable && settings.infraRestarts) {
    if (rnd.chance(0.35)) steps.splice(rnd.int(0, steps.length), 0, 'nats');
    if (rnd.chance(0.3)) steps.splice(rnd.int(0, steps.length), 0, 'postgres');
  }
  // NATS acknowledges publishes before syncing them: a crash can lose them. Purging the feed loses
  // every message at once, pending requests and outcomes alike; only reconciliation can finish then.
  if (rnd.chance(0.3)) steps.splice(rnd.int(0, steps.length), 0, 'purge');
  steps.splice(rnd.int(0, Math.min(2, steps.length)), 0, 'deploy');
  return steps;
}

async function pickVictim(rnd: Random, hangar: HangarProcesses, store: ChaosStore, namespace: string): Promise<HangarService> {
  const known = new Set(VICTIMS.map(([v]) => v));
  const choices = [...VICTIMS, ...ALL_SERVICES.filter((s) => !known.has(s)).map((s) => [s, 1] as const)];
  const victim = rnd.pick(choices);
  if (victim !== 'relay-holder') return victim;
  const pids = ALL_SERVICES.map((s) => [s, hangar.pid(s)] as const).filter((e): e is readonly [HangarService, number] => e[1] !== undefined);
  const holder = await store.relayHolder(namespace, pids.map(([, pid]) => pid));
  return pids.find(([, pid]) => pid === holder)?.[0] ?? 'releaser';
}

/** Starts a service again as a supervisor would, retrying while it dies at boot (NATS or Postgres away); the start time. */
async function restart(hangar: HangarProcesses, service: HangarService, log: (line: string) => void): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const at = Date.now();
    try {
      await hangar.startOne(service);
      return at;
    } catch (error) {
      log(`  ${service} failed to start (restarting it): ${(error as Error).message.split('\n').slice(0, 12).join('\n    ')}`);
      await hangar.stopOne(service, 'SIGKILL').catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** Creates the app, retrying while a lossy bus loses the command or its answer. */
async function createApp(hangar: HangarProcesses, app: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await gateway(hangar, 'POST', '/v1/apps', { name: app });
      return;
    } catch (error) {
      if (await gateway(hangar, 'GET', `/v1/apps/${app}`).then(() => true, () => false)) return;
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** Creates one release, retrying while the gateway or releaser is away, never twice (the store says whether it was made). */
async function deployOnce(hangar: HangarProcesses, store: ChaosStore, app: string, image: string, maxUnavailable: number): Promise<void> {
  const before = await store.releaseCount(app);
  const configToml = `app = "${app}"\nprimary_region = "local"\n\n[build]\nimage = "${image}"\n\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await gateway(hangar, 'POST', `/v1/apps/${app}/deploys`, { configToml, image, strategy: 'rolling', maxUnavailable, waitTimeout: '60s' });
      return;
    } catch (error) {
      if ((await store.releaseCount(app)) > before) return;
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** Waits until every release ended (or the deadline passed): what is left is stuck. */
async function settle(store: ChaosStore, app: string) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const releases = await store.releases(app);
    if (releases.every((r) => r.endedAt !== undefined) || Date.now() > deadline) return releases;
    await sleep(250);
  }
}

async function gateway(hangar: HangarProcesses, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${hangar.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${hangar.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`gateway ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Drops every message of the run's event feed, as a NATS crash before syncing would; how many. */
async function purgeFeed(natsUrl: string, namespace: string): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    return (await jsm.streams.purge(eventsStreamName(namespace))).purged;
  } finally {
    await nc.close();
  }
}

function natsTarget(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 4222) };
}
