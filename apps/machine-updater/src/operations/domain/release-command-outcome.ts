import { exitCodeOf, latestExitAfterStart, type Machine } from '@hangar/machines-api';

/**
 * What a look at the release command's machine says (DESIGN §5 step 3). `unknown` is never success:
 * a machine gone or ended without an exit event fails the release as surely as a non-zero exit.
 */
export type ReleaseCommandVerdict =
  | { readonly kind: 'running'; readonly state: string }
  | { readonly kind: 'exited'; readonly exitCode: number; readonly oomKilled: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

const ENDED = new Set(['stopped', 'destroyed', 'failed']);

/**
 * Judges the release command's machine as flyctl does: once it has ended, the exit code is that of
 * the latest `exit` event after its latest `start`, read as fly-go's `GetExitCode` reads it
 * (`request.MonitorEvent.exit_event` first, then `request.exit_event`). `machine` undefined: the
 * API answered 404 for it.
 */
export function judgeReleaseCommand(machineId: string, machine: Machine | undefined): ReleaseCommandVerdict {
  if (!machine) {
    return { kind: 'unknown', reason: `release command machine ${machineId} is gone (404) and left no exit event: its outcome is unknown` };
  }
  if (!ENDED.has(machine.state)) return { kind: 'running', state: machine.state };
  const exit = latestExitAfterStart(machine.events);
  const exitCode = exitCodeOf(exit);
  if (exitCode === undefined) {
    return { kind: 'unknown', reason: `release command machine ${machineId} is ${machine.state} without an exit event: its outcome is unknown` };
  }
  const oomKilled = (exit?.request?.MonitorEvent?.exit_event ?? exit?.request?.exit_event)?.oom_killed === true;
  return { kind: 'exited', exitCode, oomKilled };
}
