import { ErrorCodes, HangarError } from '@hangar/contracts';
import { addressAt, offsetOf, usableOffsets, type IpFamily, type IpRange } from './ip-address';

/** The configured pools (`HANGAR_IPV4_POOL`, `HANGAR_IPV6_POOL`). */
export interface IpPools {
  readonly v4: IpRange;
  readonly v6: IpRange;
}

export const IpErrorCodes = {
  POOL_EXHAUSTED: 'IP.POOL_EXHAUSTED',
  ALREADY_ALLOCATED: 'IP.ALREADY_ALLOCATED',
  NOT_FOUND: 'IP.NOT_FOUND',
} as const;

/** `ippool-<family>`: the address was handed to `app` (exactly one live claim per address). */
export type IpAddressClaimed = {
  readonly type: 'IpAddressClaimed';
  readonly data: { readonly pool: IpFamily; readonly address: string; readonly app: string };
};

/** `ippool-<family>`: the app gave the address back; it may be handed out again later. */
export type IpAddressReturned = {
  readonly type: 'IpAddressReturned';
  readonly data: { readonly pool: IpFamily; readonly address: string; readonly app: string };
};

export type IpPoolEvent = IpAddressClaimed | IpAddressReturned;

export type IpPoolCommand =
  | { readonly type: 'ClaimAddress'; readonly app: string }
  | { readonly type: 'ReturnAddress'; readonly app: string; readonly address: string };

export type IpPoolState = {
  /** Address → the app holding it. */
  readonly claimed: Readonly<Record<string, string>>;
  /** Returned addresses, oldest first: reused only once the never-used ones run out. */
  readonly returned: readonly string[];
  /** Offset of the next never-used address. */
  readonly next: bigint;
};

/**
 * The shared IPv4 address: the first usable one of the v4 pool, the same for every app that asks
 * for a shared address (like Fly's shared v4). Dedicated v4 addresses come after it.
 */
export function sharedAddress(pools: IpPools): string {
  return addressAt(pools.v4, usableOffsets(pools.v4).first);
}

/**
 * The decider of one address pool (`ippool-v4` / `ippool-v6`), for the configured range. Hands out
 * never-used addresses in order, then the longest-returned ones; an address is never claimed twice
 * while held. Addresses outside the range (an older configuration) are tracked but not handed out.
 */
export function ipPoolDecider(range: IpRange) {
  const usable = usableOffsets(range);
  // The v4 pool's first usable address is the shared one.
  const firstDedicated = range.family === 'v4' ? usable.first + 1n : usable.first;

  function initialState(): IpPoolState {
    return { claimed: {}, returned: [], next: firstDedicated };
  }

  function evolve(state: IpPoolState, event: IpPoolEvent): IpPoolState {
    const { address, app } = event.data;
    const offset = offsetOf(range, address);
    switch (event.type) {
      case 'IpAddressClaimed':
        return {
          claimed: { ...state.claimed, [address]: app },
          returned: state.returned.filter((a) => a !== address),
          next: offset !== undefined && offset >= state.next ? offset + 1n : state.next,
        };
      case 'IpAddressReturned': {
        const { [address]: _gone, ...claimed } = state.claimed;
        const inPool = offset !== undefined && offset >= firstDedicated && offset <= usable.last;
        return { ...state, claimed, returned: inPool ? [...state.returned, address] : state.returned };
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  function decide(command: IpPoolCommand, state: IpPoolState): IpPoolEvent[] {
    switch (command.type) {
      case 'ClaimAddress': {
        const address = freeAddress(state);
        if (address === undefined) throw exhausted(range, Object.keys(state.claimed).length);
        return [{ type: 'IpAddressClaimed', data: { pool: range.family, address, app: command.app } }];
      }
      case 'ReturnAddress':
        if (state.claimed[command.address] !== command.app) return [];
        return [{ type: 'IpAddressReturned', data: { pool: range.family, address: command.address, app: command.app } }];
      default: {
        const unknown: never = command;
        throw new HangarError(ErrorCodes.INTERNAL, `unknown pool command ${JSON.stringify(unknown)}`);
      }
    }
  }

  function freeAddress(state: IpPoolState): string | undefined {
    // Claimed addresses past the cursor only exist after a configuration change; skip them.
    for (let offset = state.next; offset <= usable.last; offset++) {
      const address = addressAt(range, offset);
      if (!(address in state.claimed)) return address;
    }
    return state.returned.find((a) => !(a in state.claimed));
  }

  return { decide, evolve, initialState } as const;
}

export type IpPoolDecider = ReturnType<typeof ipPoolDecider>;

function exhausted(range: IpRange, held: number): HangarError {
  const variable = range.family === 'v4' ? 'HANGAR_IPV4_POOL' : 'HANGAR_IPV6_POOL';
  return new HangarError(
    IpErrorCodes.POOL_EXHAUSTED,
    `the IP${range.family} pool ${range.cidr} has no free address (${held} handed out): release one with \`hangar ips release <address>\` or configure a larger ${variable}`,
    { pool: range.cidr, held },
  );
}
