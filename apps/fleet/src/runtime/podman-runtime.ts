import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { enter, event, exitMachine } from '../machines/domain/machine-sim';
import type { SimMachine } from '../machines/domain/sim.types';
import { listAllActiveMachines } from '../machines/machine.repository';
import type { MachineStore } from '../machines/machine-store';
import type { MachineWaiter } from '../machines/machine-waiter';
import { CheckRunner } from './check-runner';
import { containerName, createArgs, envOf, LABELS, stopPlan, stopTimeoutSeconds, volumeName, type ContainerInput } from './container-spec';
import type { MachineObservations } from './machine-observations';
import { PodmanError, type PodmanCli, type PodmanContainer } from './podman-cli';

/** Something that must let a machine's traffic finish before its container stops (the edge proxy). */
export interface TrafficDrain {
  drain(machineId: string): Promise<void>;
  undrain(machineId: string): void;
  /** The machine was destroyed: drop what is kept about it. */
  forget(machineId: string): void;
}

export interface PodmanRuntimeOptions {
  fleetId: string;
  /** Registries pulled over plain HTTP besides loopback ones. */
  insecureRegistries: readonly string[];
  /** Credentials by registry host (the builder's `HANGAR_REGISTRY_CREDENTIALS`); a mirror gets only its own host's. */
  credentials?: Readonly<Record<string, { username: string; password: string }>>;
  /** Registry → mirror host[:port] (the builder's `HANGAR_REGISTRY_MIRRORS`). */
  mirrors?: Readonly<Record<string, string>>;
  /** How often podman's view is reconciled even when nothing was asked (containers dying on their own). */
  intervalMs?: number;
}

const RUNNING_CONTAINER = new Set(['running', 'paused']);
const DONE_CONTAINER = new Set(['exited', 'stopped', 'dead']);

/**
 * Fleet's `podman` runtime (issue 13): each machine instance is a container. Fleet's rows say what
 * should be (the API writes them exactly as under the sim); this loop makes podman match and writes
 * back what really happened — `started` once the container runs, an `exit` event with the real exit
 * code, `stopped` (or `destroyed` for `auto_destroy`) when it ends, restarts under the machine's
 * `restart` policy. It converges each machine on its own (never two rounds of one machine at once),
 * after every API write and every `intervalMs`, so a restarted fleet adopts its running containers
 * by label and a container killed outside Hangar shows as stopped with its exit event.
 */
export class PodmanRuntime {
  private readonly logger = new Logger('PodmanRuntime');
  private readonly busy = new Set<string>();
  private readonly again = new Set<string>();
  private readonly checks: CheckRunner;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private roundRunning = false;
  private roundAgain = false;
  private closed = false;
  private readonly inflight = new Set<Promise<void>>();
  drain?: TrafficDrain;

  constructor(
    private readonly pool: Pool,
    private readonly store: MachineStore,
    private readonly waiter: MachineWaiter,
    private readonly observations: MachineObservations,
    private readonly podman: PodmanCli,
    private readonly options: PodmanRuntimeOptions,
  ) {
    this.checks = new CheckRunner(observations, () => store.now());
  }

  start(): void {
    this.unsubscribe = this.waiter.onChange(() => this.kick());
    const tick = () => {
      this.kick();
      if (!this.closed) this.timer = setTimeout(tick, this.options.intervalMs ?? 1000);
    };
    tick();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.checks.stopAll();
    await Promise.allSettled([...this.inflight]);
  }

  /** Reconciles soon (rounds never overlap; a kick during one runs another after it). */
  kick(): void {
    if (this.closed) return;
    if (this.roundRunning) {
      this.roundAgain = true;
      return;
    }
    this.roundRunning = true;
    void this.round()
      .catch((err: Error) => this.logger.error(`reconcile round failed: ${err.message}`))
      .finally(() => {
        this.roundRunning = false;
        if (this.roundAgain && !this.closed) {
          this.roundAgain = false;
          this.kick();
        }
      });
  }

  /** A destroyed volume's data goes with it: its podman named volume (and any container still using it). */
  async removeVolume(volumeId: string): Promise<void> {
    const result = await this.podman.run(['volume', 'rm', '--force', volumeName(this.options.fleetId, volumeId)], { timeoutMs: 60_000 });
    if (result.code !== 0 && !/no such volume/i.test(result.stderr)) this.logger.error(`volume ${volumeId}: podman volume rm failed: ${result.stderr.trim().slice(0, 300)}`);
  }

  private async round(): Promise<void> {
    const [machines, containers] = await Promise.all([listAllActiveMachines(this.pool), this.podman.containers(LABELS.fleet, this.options.fleetId)]);
    const byMachine = new Map<string, PodmanContainer[]>();
    for (const c of containers) {
      const id = c.Labels?.[LABELS.machine];
      if (id) byMachine.set(id, [...(byMachine.get(id) ?? []), c]);
    }
    const active = new Set(machines.map((m) => m.id));
    for (const m of machines) this.converge(m.id, () => this.convergeMachine(m, byMachine.get(m.id) ?? []));
    // Containers of destroyed (or unknown) machines go, volumes stay.
    for (const [id, cs] of byMachine) {
      if (active.has(id)) continue;
      this.converge(id, async () => {
        this.checks.stop(id);
        this.observations.forget(id);
        for (const c of cs) await this.remove(c, 0);
        this.drain?.forget(id);
      });
    }
    for (const id of this.observations.machineIds()) {
      if (active.has(id) || byMachine.has(id)) continue;
      this.observations.forget(id);
      this.drain?.forget(id);
    }
  }

  /** Runs `work` for one machine unless a round of it is still running (then once more after it). */
  private converge(machineId: string, work: () => Promise<void>): void {
    if (this.busy.has(machineId)) {
      this.again.add(machineId);
      return;
    }
    this.busy.add(machineId);
    const task = work()
      .catch((err: Error) => this.logger.error(`machine ${machineId}: ${err.message}`))
      .finally(() => {
        this.busy.delete(machineId);
        this.inflight.delete(task);
        if (this.again.delete(machineId)) this.kick();
      });
    this.inflight.add(task);
  }

  private async convergeMachine(row: SimMachine, containers: PodmanContainer[]): Promise<void> {
    const m = (await this.store.load(row.app, row.id)).machine;
    const mine = containers.find((c) => c.Labels?.[LABELS.instance] === m.instanceId);
    // Instances this machine has moved on from: stopped gracefully, then removed, before the new one starts.
    for (const old of containers.filter((c) => c !== mine)) {
      const began = Date.now();
      if (RUNNING_CONTAINER.has(old.State)) await this.drainFirst(m.id);
      await this.remove(old, stopTimeoutSeconds(m.config));
      this.logger.log(`machine ${m.id}: replaced container ${old.Names[0]} removed in ${Date.now() - began} ms`);
    }
    const state = m.state;
    if (state === 'starting') {
      if (!mine) return this.launch(m);
      if (RUNNING_CONTAINER.has(mine.State)) return this.observeStarted(m, mine);
      // An exit from before this start (fleet stopped between recording a run's end and removing its
      // container): that run is over; this one starts from a new container.
      if (DONE_CONTAINER.has(mine.State) && mine.ExitedAt * 1000 < m.stateEnteredAt - 1000) {
        await this.remove(mine, 0);
        return this.launch(m);
      }
      if (DONE_CONTAINER.has(mine.State)) return this.observeExit(m, mine.ExitCode, false);
      await this.podman.ok(['start', mine.Names[0]!]);
      return;
    }
    if (state === 'started') {
      if (!mine) return this.observeExit(m, 137, false, ['fleet: the container is gone (removed outside Hangar)']);
      if (DONE_CONTAINER.has(mine.State)) return this.observeExit(m, mine.ExitCode, false);
      this.observations.setPorts(m.id, m.instanceId, portsOf(mine));
      this.checks.ensure(m.id, m.instanceId, m.config, portsOf(mine));
      return;
    }
    this.checks.stop(m.id);
    if (state === 'stopping') {
      if (mine && RUNNING_CONTAINER.has(mine.State)) {
        await this.drainFirst(m.id);
        await this.stopContainer(mine.Names[0]!, m.instanceId, stopPlan(m.config, m.run?.stop));
        const [after] = await this.podman.containers(LABELS.instance, m.instanceId);
        return this.observeExit(m, after?.ExitCode ?? 0, true);
      }
      return this.observeExit(m, mine?.ExitCode ?? 0, true);
    }
    // created, stopped, failed: nothing may run, and the run's container goes once its exit is recorded
    // (with its last lines). A start makes a new one from the image, as a Fly machine's root filesystem
    // is reset on every start; and an old exited container is never mistaken for the new run's exit.
    if (mine) await this.remove(mine, RUNNING_CONTAINER.has(mine.State) ? stopTimeoutSeconds(m.config) : 0);
  }

  /** Pulls the image, makes the volumes and the container, and starts it; a failure ends the run with its reason. */
  private async launch(m: SimMachine): Promise<void> {
    const began = Date.now();
    let step = 'pull the image';
    try {
      const image = await this.pull(m.config.image);
      step = 'create the volume';
      const volumes = [];
      for (const mount of m.config.mounts ?? []) {
        if (!mount.volume) continue;
        const name = volumeName(this.options.fleetId, mount.volume);
        if ((await this.podman.run(['volume', 'exists', name])).code !== 0) await this.podman.ok(['volume', 'create', '--label', `${LABELS.fleet}=${this.options.fleetId}`, name]);
        volumes.push({ name, path: mount.path });
      }
      step = 'create the container';
      const input: ContainerInput = { fleetId: this.options.fleetId, machineId: m.id, instanceId: m.instanceId, app: m.app, region: m.region, config: m.config, image, volumes };
      const name = containerName(this.options.fleetId, m.id, m.instanceId);
      if ((await this.podman.run(['container', 'exists', name])).code !== 0) await this.podman.ok(createArgs(input), { env: envOf(input) });
      step = 'start the container';
      await this.podman.ok(['start', name]);
      this.logger.log(`machine ${m.id}: container ${name} started in ${Date.now() - began} ms`);
    } catch (err) {
      const reason = err instanceof PodmanError ? err.message : (err as Error).message;
      this.logger.warn(`machine ${m.id}: could not ${step}: ${reason}`);
      const name = containerName(this.options.fleetId, m.id, m.instanceId);
      await this.podman.run(['rm', '--force', '--time', '0', name]);
      return this.observeExit(m, 1, false, [`fleet: could not ${step}: ${reason}`], true);
    }
    this.kick();
  }

  /**
   * `podman pull` of the machine's image by digest, from its registry's mirror when one is configured
   * (plain HTTP for loopback and listed registries; credentials, when the pulled host has some, in a
   * 0600 auth file that is removed at once, never on the command line). Returns the reference podman knows.
   */
  private async pull(image: string): Promise<string> {
    const ref = mirroredReference(pullReference(image), this.options.mirrors ?? {});
    if ((await this.podman.run(['image', 'exists', ref])).code === 0) return ref;
    const host = ref.split('/')[0]!;
    const insecure = isLoopbackHost(host) || this.options.insecureRegistries.includes(host);
    const creds = this.options.credentials?.[host];
    const args = ['pull', '--quiet', `--tls-verify=${insecure ? 'false' : 'true'}`];
    let authDir: string | undefined;
    try {
      if (creds) {
        authDir = mkdtempSync(join(tmpdir(), 'hangar-pull-'));
        const authFile = join(authDir, 'auth.json');
        writeFileSync(authFile, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } } }), { mode: 0o600 });
        args.push('--authfile', authFile);
      }
      await this.podman.ok([...args, ref], { timeoutMs: 600_000 });
    } finally {
      if (authDir) rmSync(authDir, { recursive: true, force: true });
    }
    return ref;
  }

  private async observeStarted(m: SimMachine, container: PodmanContainer): Promise<void> {
    this.observations.setPorts(m.id, m.instanceId, portsOf(container));
    // Checks start (critical until they pass) before the machine is recorded started.
    this.checks.ensure(m.id, m.instanceId, m.config, portsOf(container));
    await this.store.mutate(m.app, m.id, { checkLease: false }, async (cur, _tx, now) => {
      if (cur.state !== 'starting' || cur.instanceId !== m.instanceId) return { value: undefined };
      const started = enter(cur, 'started', now);
      return { result: { machine: started, events: [event(cur, 'start', 'started', 'flyd', now)] }, value: undefined };
    });
    this.drain?.undrain(m.id);
  }

  /**
   * The run ended: an exit event with the real code. Under `restart` `always`, or `on-failure` with
   * a non-zero code and retries left, the same container starts again (the machine stays starting).
   */
  private async observeExit(m: SimMachine, exitCode: number, requestedStop: boolean, logs: string[] = [], failedToLaunch = false): Promise<void> {
    const restart = !requestedStop && !failedToLaunch && mayRestart(m, exitCode);
    // What the run printed last (a release command's output): kept with the machine, as the sim keeps its logs.
    if (!failedToLaunch && logs.length === 0) logs = await this.tail(containerName(this.options.fleetId, m.id, m.instanceId));
    await this.store.mutate(m.app, m.id, { checkLease: false }, async (cur, _tx, now) => {
      if (cur.instanceId !== m.instanceId || !['starting', 'started', 'stopping'].includes(cur.state)) return { value: undefined };
      if (restart && cur.run) {
        const exitEvent = event(cur, 'exit', 'starting', 'flyd', now, { exit_event: { exit_code: exitCode, requested_stop: false, restarting: true, exited_at: new Date(now).toISOString() } });
        const again = { ...enter(cur, 'starting', now), run: { ...cur.run, restarts: (cur.run.restarts ?? 0) + 1 } };
        return { result: { machine: again, events: [exitEvent] }, value: undefined };
      }
      return { result: exitMachine(cur, now, exitCode, requestedStop, logs), value: undefined };
    });
    this.checks.stop(m.id);
    const name = containerName(this.options.fleetId, m.id, m.instanceId);
    // The run is over and recorded (with its last lines): its container goes now, inside this machine's
    // round, so a start that follows finds none and runs the image afresh (see convergeMachine).
    if (restart) await this.podman.run(['start', name]);
    else if (!failedToLaunch) await this.podman.run(['rm', '--force', '--time', '0', name]);
    this.kick();
  }

  /** The last 100 lines a container printed (stdout and stderr), or none when it is gone. */
  private async tail(name: string): Promise<string[]> {
    const out = await this.podman.run(['logs', '--tail', '100', name], { timeoutMs: 30_000 });
    if (out.code !== 0) return [];
    return `${out.stdout}${out.stderr}`.split('\n').filter((l) => l.length > 0).slice(-100);
  }

  /**
   * Sends the stop's signal, waits its grace period, then kills. With the signal the container was made
   * with, podman's `stop` does all of it; another one (`machine stop --signal`) is sent with `kill`
   * and the wait is fleet's own.
   */
  private async stopContainer(name: string, instanceId: string, plan: { signal: string; seconds: number; custom: boolean }): Promise<void> {
    if (!plan.custom) {
      await this.podman.ok(['stop', '--time', String(plan.seconds), name], { timeoutMs: (plan.seconds + 30) * 1000 });
      return;
    }
    await this.podman.ok(['kill', '--signal', plan.signal, name]).catch(() => undefined); // it may have exited already
    const deadline = Date.now() + plan.seconds * 1000;
    for (;;) {
      const [c] = await this.podman.containers(LABELS.instance, instanceId);
      if (!c || DONE_CONTAINER.has(c.State)) return;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.podman.ok(['kill', '--signal', 'SIGKILL', name]).catch(() => undefined);
    await this.podman.ok(['wait', name], { timeoutMs: 30_000 }).catch(() => undefined);
  }

  private async drainFirst(machineId: string): Promise<void> {
    await this.drain?.drain(machineId).catch(() => undefined);
  }

  private async remove(c: PodmanContainer, stopSeconds: number): Promise<void> {
    await this.podman.run(['rm', '--force', '--time', String(stopSeconds), c.Id], { timeoutMs: (stopSeconds + 30) * 1000 });
  }
}

/**
 * `restart.policy`: `always` restarts any exit, `on-failure` a non-zero one up to `max_retries`
 * (default 10); `no` never. A config without a policy is `on-failure`, as on Fly ("on-fail is the
 * default when there's no explicit restart policy", which is what `fly deploy` machines have).
 */
export function mayRestart(m: Pick<SimMachine, 'config' | 'run'>, exitCode: number): boolean {
  const policy = m.config.restart?.policy ?? 'on-failure';
  if (policy === 'always') return true;
  if (policy !== 'on-failure' || exitCode === 0) return false;
  return (m.run?.restarts ?? 0) < (m.config.restart?.max_retries ?? 10);
}

/** internal port → host port of a container's published ports. */
export function portsOf(c: PodmanContainer): Record<number, number> {
  return Object.fromEntries((c.Ports ?? []).map((p) => [p.container_port, p.host_port]));
}

/** A digest-pinned reference without its tag (podman pulls `repo@sha256:…`); others as written. */
export function pullReference(image: string): string {
  const at = image.indexOf('@');
  if (at === -1) return image;
  const name = image.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return `${colon > slash ? name.slice(0, colon) : name}${image.slice(at)}`;
}

/** `host/repo@digest` pulled from the mirror configured for `host` (Docker Hub as `docker.io`), else as it is. */
export function mirroredReference(ref: string, mirrors: Readonly<Record<string, string>>): string {
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : 'docker.io';
  const path = hasHost ? ref.slice(slash + 1) : ref.includes('/') ? ref : `library/${ref}`;
  const mirror = mirrors[host];
  return mirror ? `${mirror}/${path}` : ref;
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}
