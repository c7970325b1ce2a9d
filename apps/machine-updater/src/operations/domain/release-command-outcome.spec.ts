import type { Machine, MachineEvent } from '@hangar/machines-api';
import { judgeReleaseCommand } from './release-command-outcome';

const ID = '0123456789abcd';
const machine = (state: Machine['state'], events: MachineEvent[]): Machine => ({
  id: ID,
  name: 'm',
  state,
  region: 'ams',
  instance_id: 'i1',
  config: { image: 'img' },
  created_at: '',
  updated_at: '',
  events,
});
const ev = (type: string, request?: MachineEvent['request']): MachineEvent => ({ type, status: '', source: 'flyd', timestamp: 0, ...(request ? { request } : {}) });

describe(judgeReleaseCommand.name, () => {
  it('reads the exit code nested under MonitorEvent first, as fly-go does', () => {
    const m = machine('destroyed', [ev('destroy'), ev('exit', { MonitorEvent: { exit_event: { exit_code: 1 } } }), ev('start'), ev('launch')]);
    expect(judgeReleaseCommand(ID, m)).toEqual({ kind: 'exited', exitCode: 1, oomKilled: false });
  });

  it('succeeds only on a read exit code of 0', () => {
    const m = machine('stopped', [ev('exit', { exit_event: { exit_code: 0 } }), ev('start')]);
    expect(judgeReleaseCommand(ID, m)).toEqual({ kind: 'exited', exitCode: 0, oomKilled: false });
  });

  it('reports an out-of-memory kill', () => {
    const m = machine('destroyed', [ev('exit', { exit_event: { exit_code: 137, oom_killed: true } }), ev('start')]);
    expect(judgeReleaseCommand(ID, m)).toEqual({ kind: 'exited', exitCode: 137, oomKilled: true });
  });

  it('is unknown, never success, for a machine gone (404) or ended without an exit event', () => {
    expect(judgeReleaseCommand(ID, undefined)).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('gone (404)') });
    const vanished = judgeReleaseCommand(ID, machine('destroyed', [ev('destroy'), ev('start'), ev('launch')]));
    expect(vanished).toEqual({ kind: 'unknown', reason: `release command machine ${ID} is destroyed without an exit event: its outcome is unknown` });
    // An exit of an earlier run does not count for this one.
    expect(judgeReleaseCommand(ID, machine('stopped', [ev('start'), ev('exit', { exit_event: { exit_code: 0 } })])).kind).toBe('unknown');
  });

  it('keeps waiting while the machine runs', () => {
    expect(judgeReleaseCommand(ID, machine('started', [ev('start')]))).toEqual({ kind: 'running', state: 'started' });
  });
});
