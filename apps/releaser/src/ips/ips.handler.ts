import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCodes, HangarError, commandPattern, streams, type MachinesProvider } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore, type Tx } from '@hangar/event-store';
import { appDecider, type AppState } from '../app/domain/app.decider';
import type { AppIp } from '../app/domain/app.events';
import { loadAggregate, toNewEvents } from '../decider-store';
import { appNotFound } from '../release/release.process';
import { normaliseAddress, type IpFamily } from './domain/ip-address';
import { decideAllocation, decideRelease, type IpDecision, type PoolView } from './domain/ip-allocation';
import { ipPoolDecider, type IpPoolDecider, type IpPools } from './domain/ip-pool.decider';
import { AllocateIpDto, ListIpsDto, ReleaseIpDto } from './dto/ip.dto';
import { IP_POOLS } from './ip-pools.token';
import { MACHINES_PROVIDER } from '../machines-provider.token';
import { ProviderIps, type IpItem } from './provider-ips';

/** Enough for every replica's contender to win once under a burst; each attempt re-reads both streams. */
const CONFLICT_ATTEMPTS = 25;

/**
 * `ips allocate-v4|allocate-v6|list|release` (DESIGN §6.6): the pool stream is appended with its
 * expected version in the same transaction as the app's event, so no address is handed out twice,
 * across replicas too. No release is created. With `HANGAR_MACHINES_PROVIDER=fly` the provider
 * assigns the addresses instead ({@link ProviderIps}); the pools are fleet's.
 */
@Controller()
export class IpsHandler {
  private readonly deciders: Record<IpFamily, IpPoolDecider>;
  /** Requests for one pool run one at a time in this process: they would only conflict. */
  private readonly tails = new Map<IpFamily, Promise<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IP_POOLS) private readonly pools: IpPools,
    @Inject(MACHINES_PROVIDER) private readonly provider: MachinesProvider,
    private readonly providerIps: ProviderIps,
  ) {
    this.deciders = { v4: ipPoolDecider(pools.v4), v6: ipPoolDecider(pools.v6) };
  }

  @MessagePattern(commandPattern('releaser', 'allocate-ip'))
  allocate(@Payload() dto: AllocateIpDto): Promise<{ ip: AppIp | IpItem }> {
    if (this.provider.kind === 'fly') return this.providerIps.allocate(dto.app, dto.type, dto.shared === true, dto.actor ?? 'anonymous');
    const request = { app: dto.app, family: dto.type, shared: dto.shared === true, now: new Date() };
    return this.write(dto.app, dto.type, dto.actor, ({ app, pool }) => decideAllocation(request, app, pool, this.pools)).then((d) => {
      const allocated = d.appEvents[0]!;
      if (allocated.type !== 'IpAllocated') throw new HangarError(ErrorCodes.INTERNAL, 'allocation recorded no address');
      const { app: _app, ...ip } = allocated.data;
      return { ip };
    });
  }

  @MessagePattern(commandPattern('releaser', 'release-ip'))
  async release(@Payload() dto: ReleaseIpDto): Promise<{ released: { app: string; address: string } }> {
    if (this.provider.kind === 'fly') return this.providerIps.release(dto.app, dto.address, dto.actor ?? 'anonymous');
    const parsed = normaliseAddress(dto.address);
    if (!parsed) throw new HangarError(ErrorCodes.VALIDATION, `"${dto.address}" is not an IP address`, [{ path: 'address', message: 'must be an IPv4 or IPv6 address' }]);
    await this.write(dto.app, parsed.family, dto.actor, ({ app, pool }) => decideRelease({ app: dto.app, address: parsed.address }, app, pool));
    return { released: { app: dto.app, address: parsed.address } };
  }

  @MessagePattern(commandPattern('releaser', 'list-ips'))
  async list(@Payload() dto: ListIpsDto): Promise<{ ips: AppIp[] | IpItem[] }> {
    if (this.provider.kind === 'fly') return this.providerIps.list(dto.app);
    const { state } = await loadAggregate(this.store, appDecider, streams.app(dto.app));
    if (!state.exists) throw appNotFound(dto.app);
    return { ips: [...state.ips] };
  }

  private write(
    appName: string,
    family: IpFamily,
    actor: string | undefined,
    decide: (loaded: { app: AppState; pool: PoolView }) => IpDecision,
  ): Promise<IpDecision> {
    return this.serialized(family, () =>
      retryOnConflict(
        () =>
          this.store.transaction(async (tx: Tx) => {
            const app = await loadAggregate(this.store, appDecider, streams.app(appName), tx);
            const pool = await loadAggregate(this.store, this.deciders[family], streams.ipPool(family), tx);
            const decision = decide({ app: app.state, pool: { decider: this.deciders[family], state: pool.state } });
            const metadata = { actor: actor ?? 'anonymous' };
            if (decision.poolEvents.length > 0) {
              await this.store.append(streams.ipPool(family), toNewEvents(decision.poolEvents, metadata), { expectedVersion: pool.version, tx });
            }
            await this.store.append(streams.app(appName), toNewEvents(decision.appEvents, metadata), { expectedVersion: app.version, tx });
            return decision;
          }),
        { attempts: CONFLICT_ATTEMPTS },
      ),
    );
  }

  private serialized<T>(key: IpFamily, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
