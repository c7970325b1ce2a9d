import { Inject, Injectable } from '@nestjs/common';
import type { AppLogLine } from '@hangar/contracts';
import type { Pool } from 'pg';
import { findApp } from '../apps/app.repository';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FLEET_POOL } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';
import { advance } from '../machines/domain/machine-sim';
import type { SimMachine } from '../machines/domain/sim.types';
import { listActiveMachines } from '../machines/machine.repository';
import { MachineStore } from '../machines/machine-store';
import { PodmanCli } from '../runtime/podman-cli';
import { DEFAULT_PODMAN_CONF } from '../runtime/runtime.module-parts';
import { ContainerLogs } from './container-logs';
import { LineQueue, pause } from './line-queue';
import { linesSince } from './log-lines';
import { PodmanLogTracker, SimLogTracker, type LogTracker } from './log-trackers';

/** How often a follower looks for machines and containers that appeared (and, on the sim, for new lines), ms. */
const POLL_MS = 1000;

export interface LogsQuery {
  /** One machine of the app (destroyed ones too); all its machines that are not destroyed otherwise. */
  machineId?: string;
  follow: boolean;
  /** RFC 3339: no line before it. */
  since?: string;
}

/**
 * The lines an app's machines printed (`GET /fleet/v1/apps/:app/logs`). Podman runtime: the current
 * container of each machine, stdout and stderr apart, merged by time; following, a container that
 * starts later (a new instance after a deploy, a new machine) joins. Sim runtime: each machine's
 * stored lines (faults' `logs`), timed at its last state change; following polls for new ones.
 */
@Injectable()
export class AppLogsService {
  private readonly containers: ContainerLogs | null;
  private readonly fleetId: string;

  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    private readonly store: MachineStore,
    @Inject(FLEET_CONFIG) config: FleetConfig,
  ) {
    this.containers = config.runtime === 'podman' ? new ContainerLogs(new PodmanCli(config.podmanConf ?? DEFAULT_PODMAN_CONF, config.podmanEnv)) : null;
    this.fleetId = config.fleetId ?? 'hangar';
  }

  /**
   * Checks the request (unknown app or machine: `FLEET.NOT_FOUND`; a bad `since`: `FLEET.INVALID`)
   * and reads the backlog before the first line, so the caller can still answer with an error status; then the lines,
   * until the backlog ends or, following, until `signal` aborts.
   */
  async open(app: string, query: LogsQuery, signal: AbortSignal): Promise<AsyncIterable<AppLogLine>> {
    if (query.since !== undefined && Number.isNaN(Date.parse(query.since))) throw fleetError(FleetErrorCodes.INVALID, `since must be an RFC 3339 time; got "${query.since}"`);
    if (!(await findApp(this.pool, app))) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${app} not found`);
    const tracker: LogTracker = this.containers ? new PodmanLogTracker(this.containers, this.fleetId) : new SimLogTracker();
    const backlog = linesSince(await tracker.backlog(await this.machines(app, query.machineId)), query.since);
    return this.lines(app, query, tracker, backlog, signal);
  }

  private async *lines(app: string, query: LogsQuery, tracker: LogTracker, backlog: AppLogLine[], outer: AbortSignal): AsyncGenerator<AppLogLine> {
    yield* backlog;
    if (!query.follow || outer.aborted) return;
    const stop = new AbortController();
    const abort = () => stop.abort();
    outer.addEventListener('abort', abort, { once: true });
    const queue = new LineQueue(stop.signal);
    const poll = async () => {
      while (!stop.signal.aborted) {
        const machines = await this.machines(app, query.machineId).catch(() => null);
        if (machines) tracker.poll(machines, queue.push, stop.signal);
        await pause(POLL_MS, stop.signal);
      }
    };
    const polling = poll();
    try {
      yield* queue;
    } finally {
      stop.abort();
      outer.removeEventListener('abort', abort);
      await polling;
    }
  }

  private async machines(app: string, machineId: string | undefined): Promise<SimMachine[]> {
    if (machineId !== undefined) return [(await this.store.load(app, machineId)).machine];
    const now = this.store.now();
    return (await listActiveMachines(this.pool, app)).map((m) => advance(m, now).machine).filter((m) => m.state !== 'destroyed');
  }
}
