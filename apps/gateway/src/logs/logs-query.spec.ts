import { HangarError } from '@hangar/contracts';
import { parseLogsQuery } from './logs-query';

describe(parseLogsQuery.name, () => {
  it('reads machine, follow and since', () => {
    expect(parseLogsQuery({ machine: '0123456789abcd', follow: 'true', since: '2026-12-03T17:21:05+01:00' })).toEqual({ machineId: '0123456789abcd', follow: true, since: '2026-12-03T16:21:05.000Z' });
    expect(parseLogsQuery({})).toEqual({ follow: false });
  });

  it.each([
    [{ machine: 'not-a-machine' }, 'machine'],
    [{ machine: '0123456789ABCD' }, 'machine'],
    [{ follow: 'yes' }, 'follow'],
    [{ since: 'yesterday' }, 'since'],
    [{ tail: '10' }, 'tail'],
    [{ machine: ['0123456789abcd', '0123456789abce'] }, 'machine'],
  ])('refuses %j as REQUEST.INVALID', (query, field) => {
    let caught: unknown;
    try {
      parseLogsQuery(query);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HangarError);
    expect((caught as HangarError).code).toBe('REQUEST.INVALID');
    expect(JSON.stringify((caught as HangarError).details) + (caught as HangarError).message).toContain(field);
  });
});
