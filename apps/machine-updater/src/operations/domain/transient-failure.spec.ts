import { MachinesApiError, MachinesApiErrorCodes } from '@hangar/machines-api';
import { isTransientFailure } from './transient-failure';

const apiError = (status: number, method = 'POST', apiMessage?: string) =>
  new MachinesApiError(MachinesApiError.codeFor(status, apiMessage), `${method} /x failed: ${status}`, { method, path: '/x', status, attempts: 1, ...(apiMessage ? { apiMessage } : {}) });

describe(isTransientFailure.name, () => {
  it('leaves an operation undecided when the machines API did not answer, was overloaded or failed inside', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) expect(isTransientFailure(apiError(status))).toBe(true);
  });

  it('waits out a lease someone else holds', () => {
    const held = apiError(409, 'POST', 'lease currently held by fleet-user');
    expect(held.code).toBe(MachinesApiErrorCodes.LEASE_HELD);
    expect(isTransientFailure(held)).toBe(true);
  });

  it('treats a refusal of the request as definitive', () => {
    for (const status of [400, 404, 412, 422]) expect(isTransientFailure(apiError(status))).toBe(false);
  });

  it('retries what is not an answer of the machines API at all (the store or the claim gone)', () => {
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
