import { operationHistory } from './operation-history';

const KEY = '01HZRELEASE0000000000000001:update:0123456789abcd';
const e = (eventId: string, type: string, data: Record<string, unknown>) => ({ eventId, type, data });

describe(operationHistory.name, () => {
  it('has nothing for an operation never started', () => {
    expect(operationHistory([e('1', 'MachineUpdateStarted', { key: 'another', leaseNonce: 'n' })], KEY)).toEqual({});
  });

  it('hands the latest recorded lease nonce to a resumed run', () => {
    const history = operationHistory(
      [e('1', 'MachineUpdateStarted', { key: KEY, leaseNonce: 'first' }), e('2', 'MachineUpdateStarted', { key: KEY, leaseNonce: 'second' })],
      KEY,
    );
    expect(history).toEqual({ leaseNonce: 'second', started: true });
  });

  it('marks a create whose earlier run got to its post as started, so the resumed run looks for its machine first', () => {
    expect(operationHistory([e('1', 'MachineUpdateStarted', { key: KEY })], KEY)).toEqual({ started: true });
  });

  it('keeps the first recorded outcome: the operation is never carried out again', () => {
    const history = operationHistory(
      [
        e('1', 'MachineUpdateStarted', { key: KEY, leaseNonce: 'n' }),
        e('2', 'MachineUpdated', { key: KEY, machineId: '0123456789abcd' }),
        e('3', 'MachineUpdateFailed', { key: KEY, reason: 'late duplicate' }),
      ],
      KEY,
    );
    expect(history.outcome).toMatchObject({ eventId: '2', type: 'MachineUpdated' });
  });
});
