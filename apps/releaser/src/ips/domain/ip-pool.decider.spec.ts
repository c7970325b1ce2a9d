import fc from 'fast-check';
import { HangarError } from '@hangar/contracts';
import { parseCidr, type IpFamily, type IpRange } from './ip-address';
import { ipPoolDecider, sharedAddress, type IpPoolEvent, type IpPoolState } from './ip-pool.decider';

function range(cidr: string, family: IpFamily): IpRange {
  const parsed = parseCidr(cidr, family);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.range;
}

const V4 = range('192.0.2.0/29', 'v4');
const V6 = range('2001:db8::/64', 'v6');
const pool = ipPoolDecider(V4);

function given(decider: ReturnType<typeof ipPoolDecider>, ...events: IpPoolEvent[]): IpPoolState {
  return events.reduce(decider.evolve, decider.initialState());
}
const claimed = (address: string, app = 'a'): IpPoolEvent => ({ type: 'IpAddressClaimed', data: { pool: 'v4', address, app } });
const returned = (address: string, app = 'a'): IpPoolEvent => ({ type: 'IpAddressReturned', data: { pool: 'v4', address, app } });

describe('ipPoolDecider', () => {
  it('keeps the first usable v4 address as the shared one and hands out the next ones in order', () => {
    expect(sharedAddress({ v4: V4, v6: V6 })).toBe('192.0.2.1');
    expect(pool.decide({ type: 'ClaimAddress', app: 'a' }, given(pool))).toEqual([claimed('192.0.2.2')]);
    expect(pool.decide({ type: 'ClaimAddress', app: 'b' }, given(pool, claimed('192.0.2.2')))).toEqual([claimed('192.0.2.3', 'b')]);
  });

  it('hands out IPv6 from ::1', () => {
    const v6 = ipPoolDecider(V6);
    expect(v6.decide({ type: 'ClaimAddress', app: 'a' }, given(v6))).toEqual([{ type: 'IpAddressClaimed', data: { pool: 'v6', address: '2001:db8::1', app: 'a' } }]);
  });

  it('reuses a returned address only when the never-used ones have run out, oldest return first', () => {
    // /29: .1 shared, .2–.6 dedicated, .7 broadcast.
    const all = ['192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6'].map((a) => claimed(a));
    expect(pool.decide({ type: 'ClaimAddress', app: 'b' }, given(pool, claimed('192.0.2.2'), returned('192.0.2.2')))).toEqual([claimed('192.0.2.3', 'b')]);
    const full = given(pool, ...all, returned('192.0.2.5'), returned('192.0.2.3'));
    expect(pool.decide({ type: 'ClaimAddress', app: 'b' }, full)).toEqual([claimed('192.0.2.5', 'b')]);
  });

  it('says the pool is exhausted, naming the pool and the way out', () => {
    const full = given(pool, ...['192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6'].map((a) => claimed(a)));
    let caught: unknown;
    try {
      pool.decide({ type: 'ClaimAddress', app: 'b' }, full);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HangarError);
    expect(caught).toMatchObject({ code: 'IP.POOL_EXHAUSTED', message: expect.stringContaining('192.0.2.0/29 has no free address (5 handed out)') });
    expect((caught as Error).message).toContain('HANGAR_IPV4_POOL');
  });

  it('returns an address only for the app holding it', () => {
    const state = given(pool, claimed('192.0.2.2', 'a'));
    expect(pool.decide({ type: 'ReturnAddress', app: 'b', address: '192.0.2.2' }, state)).toEqual([]);
    expect(pool.decide({ type: 'ReturnAddress', app: 'a', address: '192.0.2.2' }, state)).toEqual([returned('192.0.2.2')]);
  });

  it('skips addresses claimed outside the cursor (a pool configured differently before)', () => {
    const state = given(pool, claimed('192.0.2.2'), claimed('198.51.100.9'));
    expect(pool.decide({ type: 'ClaimAddress', app: 'b' }, state)).toEqual([claimed('192.0.2.3', 'b')]);
  });

  it('never hands out an address that is held, whatever the sequence of claims and returns', () => {
    const op = fc.oneof(fc.record({ kind: fc.constant('claim' as const), app: fc.constantFrom('a', 'b', 'c') }), fc.record({ kind: fc.constant('return' as const), pick: fc.nat() }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let state = pool.initialState();
        const held = new Map<string, string>();
        for (const o of ops) {
          let events: IpPoolEvent[] = [];
          if (o.kind === 'claim') {
            try {
              events = pool.decide({ type: 'ClaimAddress', app: o.app }, state);
            } catch (error) {
              if ((error as HangarError).code !== 'IP.POOL_EXHAUSTED') throw error;
              expect(held.size).toBe(5);
              continue;
            }
            const address = events[0]!.data.address;
            expect(held.has(address)).toBe(false);
            expect(address).not.toBe('192.0.2.1');
            held.set(address, o.app);
          } else if (held.size > 0) {
            const [address, app] = [...held.entries()][o.pick % held.size]!;
            events = pool.decide({ type: 'ReturnAddress', app, address }, state);
            held.delete(address);
          }
          state = events.reduce(pool.evolve, state);
        }
        expect(Object.keys(state.claimed).sort()).toEqual([...held.keys()].sort());
      }),
    );
  });
});
