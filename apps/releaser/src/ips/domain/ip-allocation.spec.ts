import { appDecider, type AppEvent, type AppState } from '../../app/domain/app.decider';
import { parseCidr, type IpFamily, type IpRange } from './ip-address';
import { decideAllocation, decideRelease, decideReleaseAll } from './ip-allocation';
import { ipPoolDecider, type IpPools } from './ip-pool.decider';

function range(cidr: string, family: IpFamily): IpRange {
  const parsed = parseCidr(cidr, family);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.range;
}

const NOW = '2024-05-01T12:00:00.000Z';
const pools: IpPools = { v4: range('192.0.2.0/24', 'v4'), v6: range('2001:db8::/64', 'v6') };
const v4 = { decider: ipPoolDecider(pools.v4), state: ipPoolDecider(pools.v4).initialState() };
const app = (...events: AppEvent[]): AppState =>
  [{ type: 'AppCreated', data: { app: 'demo', platformVersion: 'v2', createdAt: NOW } } as AppEvent, ...events].reduce(appDecider.evolve, appDecider.initialState());

describe('decideAllocation', () => {
  it('claims a dedicated address from the pool and records it on the app', () => {
    expect(decideAllocation({ app: 'demo', family: 'v4', shared: false, now: NOW }, app(), v4, pools)).toEqual({
      poolEvents: [{ type: 'IpAddressClaimed', data: { pool: 'v4', address: '192.0.2.2', app: 'demo' } }],
      appEvents: [{ type: 'IpAllocated', data: { app: 'demo', address: '192.0.2.2', type: 'v4', shared: false, allocatedAt: NOW } }],
    });
  });

  it('gives the shared IPv4 without touching the pool, once per app', () => {
    const decision = decideAllocation({ app: 'demo', family: 'v4', shared: true, now: NOW }, app(), v4, pools);
    expect(decision.poolEvents).toEqual([]);
    expect(decision.appEvents).toEqual([{ type: 'IpAllocated', data: { app: 'demo', address: '192.0.2.1', type: 'v4', shared: true, allocatedAt: NOW } }]);
    expect(() => decideAllocation({ app: 'demo', family: 'v4', shared: true, now: NOW }, app(...decision.appEvents), v4, pools)).toThrow(
      expect.objectContaining({ code: 'IP.ALREADY_ALLOCATED' }),
    );
  });

  it('rejects a shared IPv6 and an app that does not exist', () => {
    expect(() => decideAllocation({ app: 'demo', family: 'v6', shared: true, now: NOW }, app(), v4, pools)).toThrow(expect.objectContaining({ code: 'REQUEST.INVALID' }));
    expect(() => decideAllocation({ app: 'nope', family: 'v4', shared: false, now: NOW }, appDecider.initialState(), v4, pools)).toThrow(
      expect.objectContaining({ code: 'RELEASE.APP_NOT_FOUND' }),
    );
  });
});

describe('decideRelease', () => {
  const dedicated: AppEvent = { type: 'IpAllocated', data: { app: 'demo', address: '192.0.2.2', type: 'v4', shared: false, allocatedAt: NOW } };
  const shared: AppEvent = { type: 'IpAllocated', data: { app: 'demo', address: '192.0.2.1', type: 'v4', shared: true, allocatedAt: NOW } };
  const pool = { ...v4, state: v4.decider.evolve(v4.state, { type: 'IpAddressClaimed', data: { pool: 'v4', address: '192.0.2.2', app: 'demo' } }) };

  it('gives a dedicated address back to the pool', () => {
    expect(decideRelease({ app: 'demo', address: '192.0.2.2' }, app(dedicated), pool)).toEqual({
      poolEvents: [{ type: 'IpAddressReturned', data: { pool: 'v4', address: '192.0.2.2', app: 'demo' } }],
      appEvents: [{ type: 'IpReleased', data: { app: 'demo', address: '192.0.2.2', type: 'v4', shared: false } }],
    });
  });

  it('lets go of the shared address without a pool event', () => {
    expect(decideRelease({ app: 'demo', address: '192.0.2.1' }, app(shared), pool).poolEvents).toEqual([]);
  });

  it('refuses an address the app does not hold', () => {
    expect(() => decideRelease({ app: 'demo', address: '192.0.2.9' }, app(dedicated), pool)).toThrow(expect.objectContaining({ code: 'IP.NOT_FOUND' }));
  });
});

describe('decideReleaseAll', () => {
  const v6 = { decider: ipPoolDecider(pools.v6), state: ipPoolDecider(pools.v6).initialState() };

  it('gives every address back: dedicated ones to their pools, the shared IPv4 to no one', () => {
    const dedicated4 = decideAllocation({ app: 'demo', family: 'v4', shared: false, now: NOW }, app(), v4, pools);
    const pool4 = { ...v4, state: dedicated4.poolEvents.reduce(v4.decider.evolve, v4.state) };
    const shared = decideAllocation({ app: 'demo', family: 'v4', shared: true, now: NOW }, app(...dedicated4.appEvents), pool4, pools);
    const dedicated6 = decideAllocation({ app: 'demo', family: 'v6', shared: false, now: NOW }, app(...dedicated4.appEvents, ...shared.appEvents), v6, pools);
    const pool6 = { ...v6, state: dedicated6.poolEvents.reduce(v6.decider.evolve, v6.state) };
    const holding = app(...dedicated4.appEvents, ...shared.appEvents, ...dedicated6.appEvents);

    const all = decideReleaseAll(holding, { v4: pool4, v6: pool6 });

    expect(all.appEvents.map((e) => e.type === 'IpReleased' && e.data.address)).toEqual(['192.0.2.2', '192.0.2.1', '2001:db8::1']);
    expect(all.poolEvents.v4).toEqual([{ type: 'IpAddressReturned', data: { pool: 'v4', address: '192.0.2.2', app: 'demo' } }]);
    expect(all.poolEvents.v6.map((e) => e.type)).toEqual(['IpAddressReturned']);
    expect(all.app.ips).toEqual([]);
  });

  it('changes nothing for an app without addresses', () => {
    expect(decideReleaseAll(app(), { v4, v6 })).toEqual({ app: app(), appEvents: [], poolEvents: { v4: [], v6: [] } });
  });
});
