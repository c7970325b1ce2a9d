import { Controller, Inject, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type AppTeardownResult, type DestroyedApp, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore, type Tx } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { loadAggregate, toNewEvents, type Loaded } from '../decider-store';
import { decideReleaseAll, type PoolView } from '../ips/domain/ip-allocation';
import { ipPoolDecider, type IpPools, type IpPoolState } from '../ips/domain/ip-pool.decider';
import type { IpFamily } from '../ips/domain/ip-address';
import { IP_POOLS } from '../ips/ip-pools.token';
import { appDecider, type AppState } from './domain/app.decider';
import type { DestroyApp } from './domain/app.commands';
import type { AppDestroyed } from './domain/app.events';
import { DestroyAppDto } from './dto/destroy-app.dto';

/** How long the command waits for machine-updater to destroy everything before answering `pending`. */
const TEARDOWN_WAIT_MS = 60_000;
const FAMILIES: readonly IpFamily[] = ['v4', 'v6'];

/**
 * `apps destroy` (DESIGN §7.1): refuses while a release is running or queued; otherwise records
 * `AppDestroyed` (with the machines and volumes about to go, and the app's addresses given back to
 * their pools) in one transaction, then has machine-updater destroy the machines and volumes. The
 * app's streams stay for audit; its name is never used again.
 */
@Controller()
export class DestroyAppHandler {
  private readonly logger = new Logger(DestroyAppHandler.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
    @Inject(IP_POOLS) private readonly pools: IpPools,
  ) {}

  @MessagePattern(commandPattern('releaser', 'destroy-app'))
  async destroy(@Payload() dto: DestroyAppDto): Promise<{ destroyed: DestroyedApp }> {
    // Refused (unknown, already destroyed, busy) before the machines API is asked anything.
    const current = await loadAggregate(this.store, appDecider, streams.app(dto.app));
    appDecider.decide({ type: 'DestroyApp', app: dto.app, machines: [], volumes: [], now: new Date() }, current.state);
    const [{ machines }, { volumes }] = await Promise.all([
      this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app: dto.app }),
      this.commands.request<{ volumes: { id: string; name: string; region: string }[] }>('machine-updater', 'list-volumes', { app: dto.app }),
    ]);
    const command: DestroyApp = {
      type: 'DestroyApp',
      app: dto.app,
      machines: machines.map((m) => ({ id: m.id, managed: m.managed, ...(m.processGroup ? { processGroup: m.processGroup } : {}), region: m.region })),
      volumes: volumes.map((v) => ({ id: v.id, name: v.name, region: v.region })),
      now: new Date(),
    };
    const { destroyed, ipsReleased } = await retryOnConflict(() => this.store.transaction((tx) => this.record(command, dto.actor ?? 'anonymous', tx)), { attempts: 10 });
    const teardown = await this.commands
      .request<AppTeardownResult>('machine-updater', 'teardown-app', { app: dto.app }, { timeoutMs: TEARDOWN_WAIT_MS })
      .then(() => 'complete' as const)
      .catch((error: unknown) => {
        // The app is destroyed either way; machine-updater's consumer of AppDestroyed finishes the job.
        this.logger.warn(`app ${dto.app} is destroyed, its teardown continues in the background: ${error instanceof Error ? error.message : String(error)}`);
        return 'pending' as const;
      });
    return { destroyed: { ...destroyed.data, ipsReleased, teardown } };
  }

  private async record(command: DestroyApp, actor: string, tx: Tx): Promise<{ destroyed: AppDestroyed; ipsReleased: string[] }> {
    const app = await loadAggregate(this.store, appDecider, streams.app(command.app), tx);
    const pools = await this.loadPools(app.state, tx);
    const released = decideReleaseAll(app.state, { v4: pools.v4.view, v6: pools.v6.view });
    const events = [...released.appEvents, ...appDecider.decide(command, released.app)];
    const metadata = { actor };
    for (const family of FAMILIES) {
      const poolEvents = released.poolEvents[family];
      if (poolEvents.length > 0) await this.store.append(streams.ipPool(family), toNewEvents(poolEvents, metadata), { expectedVersion: pools[family].version, tx });
    }
    await this.store.append(streams.app(command.app), toNewEvents(events, metadata), { expectedVersion: app.version, tx });
    const destroyed = events.find((e): e is AppDestroyed => e.type === 'AppDestroyed')!;
    return { destroyed, ipsReleased: app.state.ips.map((ip) => ip.address) };
  }

  /** The pools of the families the app holds addresses of (the others are not read, nor appended to). */
  private async loadPools(app: AppState, tx: Tx): Promise<Record<IpFamily, { view: PoolView; version: number }>> {
    const load = async (family: IpFamily) => {
      const decider = ipPoolDecider(this.pools[family]);
      const loaded: Loaded<IpPoolState> = app.ips.some((ip) => ip.type === family)
        ? await loadAggregate(this.store, decider, streams.ipPool(family), tx)
        : { state: decider.initialState(), version: 0 };
      return { view: { decider, state: loaded.state }, version: loaded.version };
    };
    // One after the other: both reads share the transaction's connection.
    const v4 = await load('v4');
    return { v4, v6: await load('v6') };
  }
}
