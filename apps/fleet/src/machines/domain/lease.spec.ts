import { acquireLease, assertMayMutate, assertMayRelease, leaseBody } from './lease';
import type { SimLease } from './sim.types';

const NOW = 1_000_000;
const req = { machineId: 'm', ttlSec: 10, owner: 'o', description: 'd', now: NOW, newNonce: 'n2', newVersion: 'v2' };
const held: SimLease = { machineId: 'm', nonce: 'n1', owner: 'alice', description: 'deploy', version: 'v1', expiresAt: NOW + 5000 };

describe('leases', () => {
  it('acquires when there is none or it expired', () => {
    expect(acquireLease(null, req)).toMatchObject({ nonce: 'n2', expiresAt: NOW + 10_000 });
    expect(acquireLease({ ...held, expiresAt: NOW }, req).nonce).toBe('n2');
  });

  it('refuses when someone else holds it, refreshes with the matching nonce', () => {
    expect(() => acquireLease(held, req)).toThrow(/lease currently held by alice \(deploy\)/);
    expect(acquireLease(held, { ...req, nonce: 'n1' })).toMatchObject({ nonce: 'n1', expiresAt: NOW + 10_000 });
  });

  it('requires the nonce for mutations only while the lease is unexpired', () => {
    expect(() => assertMayMutate(held, undefined, NOW)).toThrow(/no lease nonce was sent/);
    expect(() => assertMayMutate(held, 'wrong', NOW)).toThrow(/does not match/);
    expect(() => assertMayMutate(held, 'n1', NOW)).not.toThrow();
    expect(() => assertMayMutate(held, undefined, NOW + 5000)).not.toThrow();
    expect(() => assertMayMutate(null, undefined, NOW)).not.toThrow();
  });

  it('releases only with the nonce', () => {
    expect(() => assertMayRelease(held, 'x', NOW)).toThrow();
    expect(() => assertMayRelease(held, 'n1', NOW)).not.toThrow();
    expect(() => assertMayRelease(null, undefined, NOW)).not.toThrow();
  });

  it('answers with expires_at in unix seconds', () => {
    expect(leaseBody(held).data).toMatchObject({ nonce: 'n1', expires_at: Math.floor((NOW + 5000) / 1000), owner: 'alice' });
  });
});
