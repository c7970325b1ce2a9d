import type { MachineEvent, MachineEventRequest, MachineExitEvent } from './machine.types';

/**
 * The exit event of a request as fly-go's `MachineRequest.GetExitCode` reads it: under
 * `MonitorEvent.exit_event` when present, else `exit_event`; undefined when neither is there.
 */
export function exitEventOf(request: MachineEventRequest | undefined): MachineExitEvent | undefined {
  return request?.MonitorEvent?.exit_event ?? request?.exit_event;
}

/** The exit code fly-go's `GetExitCode` returns, or undefined where it returns an error (no exit event). */
export function exitCodeOf(event: Pick<MachineEvent, 'request'> | undefined): number | undefined {
  const exit = exitEventOf(event?.request);
  // fly-go sends `exit_code` with `omitempty`: a present exit event without a code exited 0.
  return exit ? (exit.exit_code ?? 0) : undefined;
}

/**
 * fly-go `Machine.GetLatestEventOfTypeAfterType("exit", "start")` as flyctl's release command uses it:
 * events are newest first; the newest `exit` among those newer than the newest `start`. Undefined
 * when the machine has not exited since it last started. A machine that never reached `start` (it
 * crashed while booting) has only its exit: that one counts (fly-go would find none and wait on).
 */
export function latestExitAfterStart(events: readonly MachineEvent[] | undefined): MachineEvent | undefined {
  const list = events ?? [];
  const start = list.findIndex((e) => e.type === 'start');
  return (start < 0 ? list : list.slice(0, start)).find((e) => e.type === 'exit');
}
