import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { Logger } from '@nestjs/common';
import { EdgeProxy } from '../edge/edge-proxy';
import { FleetEdgeTargets } from '../edge/fleet-edge-targets';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FLEET_POOL } from '../fleet.tokens';
import { MachineStore } from '../machines/machine-store';
import { MachineWaiter } from '../machines/machine-waiter';
import { MachineObservations } from './machine-observations';
import { PodmanCli } from './podman-cli';
import { PodmanRuntime } from './podman-runtime';

/** Injection token of the podman runtime (null under the sim). */
export const PODMAN_RUNTIME = Symbol('PODMAN_RUNTIME');

/** The repository root (apps/fleet/src/runtime → ../../../..), in ts and in dist alike. */
const ROOT = join(__dirname, '..', '..', '..', '..').replace(/[\\/]dist$/, '');

/** The project's containers.conf: runc, cgroupfs, no default ulimits (checked on this kind of VM). */
export const DEFAULT_PODMAN_CONF = join(ROOT, 'deploy', 'podman', 'containers.conf');

export const podmanRuntimeProvider: Provider = {
  provide: PODMAN_RUNTIME,
  inject: [FLEET_CONFIG, FLEET_POOL, MachineStore, MachineWaiter, MachineObservations],
  useFactory: async (config: FleetConfig, pool: Pool, store: MachineStore, waiter: MachineWaiter, observations: MachineObservations): Promise<PodmanRuntime | null> => {
    if (config.runtime !== 'podman') return null;
    const cli = new PodmanCli(config.podmanConf ?? DEFAULT_PODMAN_CONF, config.podmanEnv);
    const info = await cli.run(['info', '--format', '{{.Host.OCIRuntime.Name}}'], { timeoutMs: 30_000 });
    if (info.code !== 0) {
      throw new Error(`HANGAR_FLEET_RUNTIME=podman, but podman does not work here: ${(info.stderr || info.stdout).trim().split('\n').pop() ?? `exit ${info.code}`} (install podman and runc, or run HANGAR_FLEET_RUNTIME=sim)`);
    }
    return new PodmanRuntime(pool, store, waiter, observations, cli, {
      fleetId: config.fleetId ?? 'hangar',
      insecureRegistries: config.insecureRegistries ?? [],
      credentials: config.registryCredentials ?? {},
      mirrors: config.registryMirrors ?? {},
    });
  },
};

/** Injection token of the edge proxy (null under the sim, whose machines serve nothing). */
export const EDGE_PROXY = Symbol('EDGE_PROXY');

export const edgeProxyProvider: Provider = {
  provide: EDGE_PROXY,
  inject: [FLEET_CONFIG, FLEET_POOL, MachineObservations],
  useFactory: (config: FleetConfig, pool: Pool, observations: MachineObservations): EdgeProxy | null =>
    config.runtime === 'podman' && config.edge ? new EdgeProxy(new FleetEdgeTargets(pool, observations), { host: config.edge.host, port: config.edge.port }) : null,
};

/**
 * Starts the edge proxy and the runtime's loop once fleet is up (the runtime drains a machine's
 * traffic at the edge before it stops its container), and stops both at shutdown.
 */
@Injectable()
export class PodmanRuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Where the edge listens once started (`http://<app>.localhost:<port>/` reaches an app). */
  edgeUrl?: string;

  constructor(
    @Inject(PODMAN_RUNTIME) private readonly runtime: PodmanRuntime | null,
    @Inject(EDGE_PROXY) private readonly edge: EdgeProxy | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.edge) {
      this.edgeUrl = (await this.edge.start()).url;
      new Logger('EdgeProxy').log(`edge proxy listening on ${this.edgeUrl} (Host: <app>.localhost)`);
      if (this.runtime) this.runtime.drain = this.edge;
    }
    this.runtime?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime?.close();
    await this.edge?.close();
  }
}
