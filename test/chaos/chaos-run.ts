import { connect } from 'nats';
import { eventsStreamName } from '@hangar/contracts';
import { ALL_SERVICES, HangarProcesses, testNamespace, uniqueSuffix, type HangarService } from '@hangar/testing';
import { Supervisor } from './chaos-supervisor';
import { checkRun, type ChaosStrategy, type Violations } from './fleet-timeline.checks';
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
  strategy: ChaosStrategy;
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
 * unmanaged machines seeded straight into fleet; a rolling deploy (or, in some runs, a canary or a
 * bluegreen one), a second deploy of the same strategy queued behind it, SIGKILLs of random services
 * (and, in some runs, NATS or Postgres restarts or the loss of every message on the feed) at random
 * moments with random downtimes; then the verdict from fleet's own record.
 */
export function chaosRun(infra: ChaosInfra, settings: RunSettings): Promise<RunResult> {
  return new ChaosRun(infra, settings).run();
}

class ChaosRun {
  private readonly rnd: Random;
  private readonly machineCount: number;
  private readonly maxUnavailable: number;
  private readonly strategy: ChaosStrategy;
  private readonly steps: Step[];
  private readonly namespace = testNamespace('c');
  private readonly app = `chaos-${uniqueSuffix()}`;
  private readonly notes: string[] = [];
  /** Start times of the releaser after each of its kills. */
  private readonly releaserRestarts: number[] = [];
  private kills = 0;

  constructor(
    private readonly infra: ChaosInfra,
    private readonly settings: RunSettings,
  ) {
    this.rnd = seededRandom(settings.seed);
    this.machineCount = this.rnd.int(...settings.machines);
    this.maxUnavailable = this.rnd.int(2, 4);
    this.strategy = this.rnd.pick<ChaosStrategy>([['rolling', 3], ['canary', 1], ['bluegreen', 1]]);
    this.steps = plan(this.rnd, settings, infra.restartable);
  }

  async run(): Promise<RunResult> {
    const db = await this.infra.createDatabase();
    const proxy = this.settings.lossy
      ? // Randomness of its own: the proxy draws per chunk, which must not shift the script's draws.
        new NatsProxy({ target: natsTarget(this.infra.natsUrl), random: seededRandom(this.settings.seed ^ 0x5eed).next, meanConnectionLifeMs: 4000, maxDelayMs: 30 })
      : undefined;
    await proxy?.start();
    const hangar = new HangarProcesses({
      databaseUrl: db.url,
      namespace: this.namespace,
      fleetBootMs: this.rnd.int(50, 200),
      // The chaos infra's NATS (restartable, behind a lossy proxy) has no authentication: this runner
      // tests crash and loss resilience; authentication is covered by the e2e suites.
      nats: { url: proxy?.url ?? this.infra.natsUrl, insecure: true },
      extraEnv: { HANGAR_RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS) },
    });
    const supervisor = new Supervisor(hangar, this.settings.log);
    const store = new ChaosStore(db.url);
    try {
      await supervisor.startAll();
      const fleet = new FleetClient(hangar.fleetUrl, hangar.fleetToken);
      await createApp(hangar, this.app);
      const seeded = await fleet.seed(this.app, this.settings.images.seed, this.machineCount, 2);
      const deploy = (image: string) => deployOnce(hangar, store, this.app, image, this.strategy, this.maxUnavailable);
      await deploy(this.settings.images.first);
      await this.script(hangar, supervisor, store, () => deploy(this.settings.images.second));
      const releases = await settle(store, this.app);
      await supervisor.stopWatching();
      const observation = { strategy: this.strategy, maxUnavailable: this.maxUnavailable, ...seeded, releases };
      const violations = checkRun({ ...observation, timeline: await fleet.timeline(this.app), machines: await fleet.machines(this.app) });
      if (violations.messages.length > 0) this.settings.log(hangar.output().split('\n').filter((l) => /warn|error/i.test(l)).slice(-40).join('\n'));
      if (proxy) this.notes.push(`${proxy.cuts} NATS connections cut`);
      this.notes.push(...supervisor.notes, `${await store.resumedOperations(this.app)} operations resumed`);
      return { ...this.counts(releases.length), violations, resumeMs: await this.resumeTimes(store), notes: this.notes };
    } finally {
      await supervisor.stop();
      await proxy?.stop();
      await store.close().catch(() => undefined);
      await db.drop().catch(() => undefined);
    }
  }

  /** Plays the steps, a random pause before each, until both releases ended. */
  private async script(hangar: HangarProcesses, supervisor: Supervisor, store: ChaosStore, secondDeploy: () => Promise<void>): Promise<void> {
    for (const step of this.steps) {
      await sleep(this.rnd.int(100, 1200));
      const releases = await store.releases(this.app);
      if (step !== 'deploy' && releases.length === 2 && releases.every((r) => r.endedAt !== undefined)) return;
      if (step === 'deploy') {
        await secondDeploy();
      } else if (step === 'nats') {
        await this.infra.restartNats(this.rnd.int(200, 1500));
        this.notes.push('NATS restarted');
      } else if (step === 'postgres') {
        await this.infra.restartPostgres(this.rnd.int(200, 1500));
        this.notes.push('Postgres restarted');
      } else if (step === 'purge') {
        this.notes.push(`${await purgeFeed(this.infra.natsUrl, this.namespace)} messages lost from the feed`);
      } else {
        const victim = await pickVictim(this.rnd, hangar, store, this.namespace);
        const restartedAt = await supervisor.kill(victim, this.rnd.int(100, 1500));
        this.kills += 1;
        if (victim === 'releaser') this.releaserRestarts.push(restartedAt);
        this.notes.push(`killed ${victim}`);
      }
    }
  }

  /** Per releaser restart, the ms to the first event recorded after it (none when nothing was left to decide). */
  private async resumeTimes(store: ChaosStore): Promise<number[]> {
    const times: number[] = [];
    for (const at of this.releaserRestarts) {
      const ms = await store.firstDecisionAfter(at);
      if (ms !== undefined) times.push(ms);
    }
    return times;
  }

  private counts(releases: number): Pick<RunResult, 'seed' | 'strategy' | 'kills' | 'releases' | 'machines'> {
    return { seed: this.settings.seed, strategy: this.strategy, kills: this.kills, releases, machines: this.machineCount };
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
async function deployOnce(hangar: HangarProcesses, store: ChaosStore, app: string, image: string, strategy: ChaosStrategy, maxUnavailable: number): Promise<void> {
  const before = await store.releaseCount(app);
  const configToml = `app = "${app}"\nprimary_region = "local"\n\n[build]\nimage = "${image}"\n\n[checks.alive]\ntype = "tcp"\nport = 8080\ninterval = "1s"\ntimeout = "1s"\n`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await gateway(hangar, 'POST', `/v1/apps/${app}/deploys`, { configToml, image, strategy, maxUnavailable, waitTimeout: '60s' });
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
