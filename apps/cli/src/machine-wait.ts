import type { MachineDetail, MachinePowerAction } from '@hangar/contracts';
import { exitCodeOf } from '@hangar/machines-api';

/** Where a machine is on its way to what `machine start|stop|restart` asked of it. */
export type PowerProgress = { kind: 'done' } | { kind: 'waiting'; detail: string } | { kind: 'failed'; reason: string };

const GONE = ['stopped', 'failed', 'destroyed'];

/**
 * Judges one observation of a machine after the call: a stop is done once `stopped`; a start once
 * `started`; a restart once `started` with every check passing (unless `skipHealthChecks`, as
 * flyctl's flag of that name). A start or restart that ends up stopped, failed or destroyed failed:
 * the machine exited instead of coming up (its exit code, when the last exit event has one).
 */
export function powerProgress(action: MachinePowerAction, m: Pick<MachineDetail, 'state' | 'checks' | 'events'>, skipHealthChecks = false): PowerProgress {
  if (action === 'stop') return m.state === 'stopped' || m.state === 'destroyed' ? { kind: 'done' } : { kind: 'waiting', detail: `state ${m.state}` };
  if (GONE.includes(m.state)) {
    const code = exitCodeOf(m.events.find((e) => e.type === 'exit'));
    return { kind: 'failed', reason: `machine is ${m.state}${code === undefined ? '' : ` (exit code ${code})`}: it did not come up` };
  }
  if (m.state !== 'started') return { kind: 'waiting', detail: `state ${m.state}` };
  if (action === 'start' || skipHealthChecks || m.checks.length === 0) return { kind: 'done' };
  const passing = m.checks.filter((c) => c.status === 'passing').length;
  return passing === m.checks.length ? { kind: 'done' } : { kind: 'waiting', detail: `${passing}/${m.checks.length} checks passing` };
}
