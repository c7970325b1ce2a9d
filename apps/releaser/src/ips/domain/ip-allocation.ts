import { ErrorCodes, HangarError } from '@hangar/contracts';
import { appDecider, type AppEvent, type AppState } from '../../app/domain/app.decider';
import type { Instant } from '../../app/domain/app.commands';
import type { IpFamily } from './ip-address';
import { sharedAddress, type IpPoolDecider, type IpPoolEvent, type IpPoolState, type IpPools } from './ip-pool.decider';

export interface IpDecision {
  /** Appended to `ippool-<family>` (none for the shared IPv4, which is never claimed). */
  readonly poolEvents: IpPoolEvent[];
  /** Appended to `app-<name>`: `IpAllocated` / `IpReleased`. */
  readonly appEvents: AppEvent[];
}

export interface PoolView {
  readonly decider: IpPoolDecider;
  readonly state: IpPoolState;
}

/**
 * Allocating an address (DESIGN §6.6): the shared IPv4 is one fixed address every asking app gets;
 * a dedicated one is claimed from the pool. Either way the app records it; no release is created.
 */
export function decideAllocation(
  request: { app: string; family: IpFamily; shared: boolean; now: Instant },
  app: AppState,
  pool: PoolView,
  pools: IpPools,
): IpDecision {
  if (!app.exists) throw new HangarError(ErrorCodes.APP_NOT_FOUND, `app '${request.app}' not found`, { app: request.app });
  if (request.shared && request.family !== 'v4') {
    throw new HangarError(ErrorCodes.VALIDATION, 'only IPv4 addresses can be shared', [{ path: 'shared', message: 'only with type v4' }]);
  }
  const allocate = (address: string) =>
    appDecider.decide({ type: 'AllocateIp', app: request.app, address, ipType: request.family, shared: request.shared, now: request.now }, app);
  if (request.shared) return { poolEvents: [], appEvents: allocate(sharedAddress(pools)) };
  const poolEvents = pool.decider.decide({ type: 'ClaimAddress', app: request.app }, pool.state);
  const claimed = poolEvents[0]!;
  return { poolEvents, appEvents: allocate(claimed.data.address) };
}

/** Releasing an address the app holds: the app records it and a dedicated one goes back to its pool. */
export function decideRelease(request: { app: string; address: string }, app: AppState, pool: PoolView): IpDecision {
  if (!app.exists) throw new HangarError(ErrorCodes.APP_NOT_FOUND, `app '${request.app}' not found`, { app: request.app });
  const appEvents = appDecider.decide({ type: 'ReleaseIp', app: request.app, address: request.address }, app);
  const released = appEvents[0];
  const shared = released?.type === 'IpReleased' && released.data.shared;
  const poolEvents = shared ? [] : pool.decider.decide({ type: 'ReturnAddress', app: request.app, address: request.address }, pool.state);
  return { poolEvents, appEvents };
}

/**
 * Every address the app holds, given back at once (`apps destroy`): the app's `IpReleased` events,
 * each family's pool events, and the app state they leave (for deciding more in the same transaction).
 */
export function decideReleaseAll(app: AppState, pools: Readonly<Record<IpFamily, PoolView>>): { app: AppState; appEvents: AppEvent[]; poolEvents: Record<IpFamily, IpPoolEvent[]> } {
  let state = app;
  const views: Record<IpFamily, PoolView> = { ...pools };
  const appEvents: AppEvent[] = [];
  const poolEvents: Record<IpFamily, IpPoolEvent[]> = { v4: [], v6: [] };
  for (const ip of app.ips) {
    const family = ip.type;
    const decision = decideRelease({ app: app.app, address: ip.address }, state, views[family]);
    state = decision.appEvents.reduce((s, e) => appDecider.evolve(s, e), state);
    views[family] = { decider: views[family].decider, state: decision.poolEvents.reduce((s, e) => views[family].decider.evolve(s, e), views[family].state) };
    appEvents.push(...decision.appEvents);
    poolEvents[family].push(...decision.poolEvents);
  }
  return { app: state, appEvents, poolEvents };
}
