import { HangarError } from '@hangar/contracts';
import { DeliveryThrottle } from './delivery-throttle';

const ID = '01JTQ3W5K8M2N4P6R8T0V2X4Y6';

function retryAfter(sut: DeliveryThrottle, receiverId: string | undefined, address: string): number | undefined {
  try {
    sut.check(receiverId, address);
    return undefined;
  } catch (error) {
    if (error instanceof HangarError && error.code === 'WEBHOOK.TOO_MANY_FAILURES') return (error.details as { retryAfterSeconds: number }).retryAfterSeconds;
    throw error;
  }
}

describe(DeliveryThrottle.name, () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('refuses an address after its failures in the window until the window ends, saying how long', () => {
    const sut = new DeliveryThrottle({ windowMs: 60_000, perAddress: 2, perReceiver: 100, maxKeys: 100 }, clock);
    sut.failed(undefined, '192.0.2.1');
    expect(retryAfter(sut, ID, '192.0.2.1')).toBeUndefined();
    sut.failed(undefined, '192.0.2.1');
    now += 15_500;
    expect(retryAfter(sut, ID, '192.0.2.1')).toBe(45);
    expect(retryAfter(sut, ID, '192.0.2.2')).toBeUndefined();
    now += 44_500;
    expect(retryAfter(sut, ID, '192.0.2.1')).toBeUndefined();
  });

  it('refuses a receiver id after its failures, from any address; an id no receiver can have is not counted', () => {
    const sut = new DeliveryThrottle({ windowMs: 60_000, perAddress: 100, perReceiver: 2, maxKeys: 100 }, clock);
    sut.failed(ID, '192.0.2.1');
    sut.failed(ID, '192.0.2.2');
    expect(retryAfter(sut, ID, '192.0.2.3')).toBe(60);
    expect(retryAfter(sut, '01JTQ3W5K8M2N4P6R8T0V2X4Y7', '192.0.2.3')).toBeUndefined();
    sut.failed(undefined, '192.0.2.4');
    expect(retryAfter(sut, undefined, '192.0.2.4')).toBeUndefined();
  });

  it('counts at most maxKeys windows, dropping ended ones first, then the oldest', () => {
    const sut = new DeliveryThrottle({ windowMs: 60_000, perAddress: 1, perReceiver: 100, maxKeys: 3 }, clock);
    sut.failed(undefined, 'a');
    now += 61_000;
    sut.failed(undefined, 'b');
    sut.failed(undefined, 'c');
    sut.failed(undefined, 'd');
    expect(['b', 'c', 'd'].map((address) => retryAfter(sut, undefined, address))).toEqual([60, 60, 60]);
    sut.failed(undefined, 'e');
    expect(['b', 'c', 'd', 'e'].map((address) => retryAfter(sut, undefined, address))).toEqual([undefined, 60, 60, 60]);
  });
});
