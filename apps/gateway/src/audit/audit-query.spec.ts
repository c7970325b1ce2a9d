import { parseAuditQuery, parseInstant } from './audit-query';

describe(parseAuditQuery.name, () => {
  it('maps every filter, with type repeated or comma-separated', () => {
    expect(
      parseAuditQuery({
        app: 'demo',
        type: ['ReleaseQueued', 'MachineUpdated,MachineUpdateFailed'],
        actor: 'ci',
        release: '01J',
        machine: 'abc',
        since: '2026-01-01T00:00:00Z',
        until: '2026-01-02T00:00:00+02:00',
        after: '42',
        limit: '1000',
      }),
    ).toEqual({
      app: 'demo',
      types: ['ReleaseQueued', 'MachineUpdated', 'MachineUpdateFailed'],
      actor: 'ci',
      releaseId: '01J',
      machineId: 'abc',
      since: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-01-01T22:00:00Z'),
      after: 42,
      limit: 1000,
    });
    expect(parseAuditQuery({})).toEqual({});
  });

  it.each([
    [{ limit: '1001' }, 'limit'],
    [{ limit: '0' }, 'limit'],
    [{ after: '-1' }, 'after'],
    [{ since: 'yesterday' }, 'since'],
    [{ app: ['a', 'b'] }, 'app'],
    [{ type: 'not a type' }, 'type'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %j naming %s', (query, path) => {
    expect(() => parseAuditQuery(query)).toThrow(expect.objectContaining({ code: 'REQUEST.INVALID', details: [expect.objectContaining({ path })] }));
  });
});

describe(parseInstant.name, () => {
  it('takes RFC 3339 only', () => {
    expect(parseInstant('2026-03-04T05:06:07.5Z', 'at').toISOString()).toBe('2026-03-04T05:06:07.500Z');
    expect(() => parseInstant('2026-03-04', 'at')).toThrow(expect.objectContaining({ code: 'REQUEST.INVALID' }));
  });
});
