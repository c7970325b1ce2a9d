import { exitCodeOf, latestExitAfterStart } from './machine-events';
import type { MachineEvent } from './machine.types';

const ev = (type: string, request?: MachineEvent['request']): MachineEvent => ({ type, status: '', source: 'flyd', timestamp: 0, ...(request ? { request } : {}) });

describe(exitCodeOf.name, () => {
  it('prefers request.MonitorEvent.exit_event, as fly-go GetExitCode does', () => {
    expect(exitCodeOf(ev('exit', { MonitorEvent: { exit_event: { exit_code: 3 } }, exit_event: { exit_code: 0 } }))).toBe(3);
    expect(exitCodeOf(ev('exit', { MonitorEvent: { exit_event: { exit_code: 1 } } }))).toBe(1);
  });

  it('falls back to request.exit_event', () => {
    expect(exitCodeOf(ev('exit', { exit_event: { exit_code: 2 } }))).toBe(2);
    expect(exitCodeOf(ev('exit', { MonitorEvent: {}, exit_event: { exit_code: 2 } }))).toBe(2);
  });

  it('reads an exit event without exit_code as 0 (Go omitempty) and no exit event as unknown', () => {
    expect(exitCodeOf(ev('exit', { exit_event: { requested_stop: false } }))).toBe(0);
    expect(exitCodeOf(ev('exit', {}))).toBeUndefined();
    expect(exitCodeOf(ev('exit'))).toBeUndefined();
    expect(exitCodeOf(undefined)).toBeUndefined();
  });
});

describe(latestExitAfterStart.name, () => {
  const newestFirst = (...events: MachineEvent[]) => events;

  it('is the newest exit newer than the newest start', () => {
    const exit2 = ev('exit', { exit_event: { exit_code: 2 } });
    const exit1 = ev('exit', { exit_event: { exit_code: 1 } });
    expect(latestExitAfterStart(newestFirst(ev('destroy'), exit2, ev('start'), exit1, ev('start'), ev('launch')))).toBe(exit2);
  });

  it('is undefined while the current run has not exited', () => {
    expect(latestExitAfterStart(newestFirst(ev('start'), ev('exit', { exit_event: { exit_code: 1 } }), ev('start')))).toBeUndefined();
    expect(latestExitAfterStart(undefined)).toBeUndefined();
  });

  it('takes the exit of a machine that never reached start (crashed while booting)', () => {
    const exit = ev('exit', { exit_event: { exit_code: 1 } });
    expect(latestExitAfterStart(newestFirst(exit, ev('launch')))).toBe(exit);
  });
});
