import { formatLogLine } from './log-output';

describe(formatLogLine.name, () => {
  const line = { timestamp: '2026-12-03T16:21:05.953713610Z', machineId: '0123456789abcd', instanceId: '01J', region: 'local', processGroup: 'app', stream: 'stdout' as const, message: 'GET / 200' };

  it('prints a line as fly logs does: time to the second, group[machine], region, level, message', () => {
    expect(formatLogLine(line)).toBe('2026-12-03T16:21:05Z app[0123456789abcd] local [info] GET / 200');
  });

  it('marks stderr as [error] and shows the process group in place of app', () => {
    expect(formatLogLine({ ...line, stream: 'stderr', processGroup: 'worker', timestamp: '2026-12-03T16:21:05.000Z' })).toBe('2026-12-03T16:21:05Z worker[0123456789abcd] local [error] GET / 200');
  });
});
