import type { MachineDetail } from '@hangar/contracts';
import { powerProgress } from './machine-wait';

type Seen = Pick<MachineDetail, 'state' | 'checks' | 'events'>;
const seen = (state: MachineDetail['state'], checks: MachineDetail['checks'] = [], events: MachineDetail['events'] = []): Seen => ({ state, checks, events });
const check = (status: 'passing' | 'critical') => ({ name: 'alive', status, output: '', updated_at: '' });

describe(powerProgress.name, () => {
  it('has a stop done once stopped', () => {
    expect(powerProgress('stop', seen('stopping'))).toEqual({ kind: 'waiting', detail: 'state stopping' });
    expect(powerProgress('stop', seen('stopped'))).toEqual({ kind: 'done' });
  });

  it('has a start done once started, checks or not', () => {
    expect(powerProgress('start', seen('starting'))).toEqual({ kind: 'waiting', detail: 'state starting' });
    expect(powerProgress('start', seen('started', [check('critical')]))).toEqual({ kind: 'done' });
  });

  it('has a restart wait for every check to pass, unless told to skip them', () => {
    expect(powerProgress('restart', seen('started', [check('passing'), check('critical')]))).toEqual({ kind: 'waiting', detail: '1/2 checks passing' });
    expect(powerProgress('restart', seen('started', [check('passing'), check('critical')]), true)).toEqual({ kind: 'done' });
    expect(powerProgress('restart', seen('started', [check('passing')]))).toEqual({ kind: 'done' });
  });

  it('fails a start or restart whose machine exited, with its exit code', () => {
    const exit = { type: 'exit', status: 'stopped', source: 'flyd', timestamp: 1, request: { exit_event: { exit_code: 1 } } };
    expect(powerProgress('restart', seen('stopped', [], [exit]))).toEqual({ kind: 'failed', reason: 'machine is stopped (exit code 1): it did not come up' });
    expect(powerProgress('start', seen('failed'))).toEqual({ kind: 'failed', reason: 'machine is failed: it did not come up' });
  });
});
