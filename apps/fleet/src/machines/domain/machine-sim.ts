import type { MachineState } from '@hangar/machines-api';
import type { SimEvent, SimMachine, SimResult } from './sim.types';

/**
 * The simulator's clock-driven half: machines move between states on their own as time passes
 * (boot finishes, a job exits, a stop completes). Nothing runs in the background; every reader
 * evaluates these pure functions at "now", and every writer first persists what they produced. A
 * restarted fleet therefore sees exactly the timeline it would have seen had it kept running.
 */

interface Step {
  at: number;
  apply(at: number): SimResult;
}

/** At most this many automatic steps are applied at once; the longest chain is replacing → starting → started → exit → destroyed. */
const MAX_STEPS = 8;

/** The machine as it is at `now`, with the events produced on the way, oldest first. */
export function advance(machine: SimMachine, now: number): SimResult {
  let current = machine;
  const events: SimEvent[] = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    const step = nextStep(current);
    if (!step || step.at > now) break;
    const result = step.apply(step.at);
    current = result.machine;
    events.push(...result.events);
  }
  return { machine: current, events };
}

/** The state the machine is in at `now`. */
export function effectiveState(machine: SimMachine, now: number): MachineState {
  return advance(machine, now).machine.state;
}

/** When the machine next changes by itself (ms since the epoch), or null when it will not. */
export function nextTransitionAt(machine: SimMachine): number | null {
  return nextStep(machine)?.at ?? null;
}

/** The state the next automatic step leads to, or null; stored next to the row for inspection. */
export function pendingState(machine: SimMachine): MachineState | null {
  const step = nextStep(machine);
  return step ? step.apply(step.at).machine.state : null;
}

function nextStep(m: SimMachine): Step | null {
  // A real container's run is reported by the runtime, not timed (only `replacing` moves on at once).
  if (m.run?.external && m.state !== 'replacing') return null;
  switch (m.state) {
    case 'replacing':
      return { at: m.stateEnteredAt, apply: (at) => ({ machine: enter(m, 'starting', at), events: [] }) };
    case 'starting': {
      const run = m.run;
      const at = m.stateEnteredAt + (run?.bootMs ?? 0);
      if (run?.outcome === 'crash') return { at, apply: (t) => exit(m, t, 1, false, run.logs) };
      return { at, apply: (t) => ({ machine: enter(m, 'started', t), events: [event(m, 'start', 'started', 'flyd', t)] }) };
    }
    case 'started': {
      const run = m.run;
      if (run?.outcome !== 'exit') return null;
      return { at: m.stateEnteredAt + run.runMs, apply: (t) => exit(m, t, run.exitCode, false, run.logs) };
    }
    case 'stopping':
      return { at: m.stateEnteredAt, apply: (t) => exit(m, t, 0, true, []) };
    case 'destroying':
      return { at: m.stateEnteredAt, apply: (t) => ({ machine: enter(m, 'destroyed', t), events: [event(m, 'destroy', 'destroyed', 'flyd', t)] }) };
    default:
      return null;
  }
}

/** The run ends: an `exit` event, then `stopped`, or `destroyed` for an `auto_destroy` machine. */
export function exitMachine(m: SimMachine, at: number, exitCode: number, requestedStop: boolean, logs: string[]): SimResult {
  return exit(m, at, exitCode, requestedStop, logs);
}

function exit(m: SimMachine, at: number, exitCode: number, requestedStop: boolean, logs: string[]): SimResult {
  const shape = requestedStop ? undefined : m.run?.exitEvent;
  const exitDetail = { exit_code: exitCode, requested_stop: requestedStop, restarting: false, exited_at: new Date(at).toISOString() };
  const exitEvent = event(m, 'exit', 'stopped', 'flyd', at, shape === 'nested' ? { MonitorEvent: { exit_event: exitDetail } } : { exit_event: exitDetail });
  const stopped: SimMachine = { ...enter(m, 'stopped', at), run: null, logs: [...m.logs, ...logs] };
  // A machine that vanishes leaves no exit event: it is destroyed with only a `destroy` to show for it.
  if (shape === 'none') return { machine: enter(stopped, 'destroyed', at), events: [event(m, 'destroy', 'destroyed', 'flyd', at)] };
  if (!m.config.auto_destroy) return { machine: stopped, events: [exitEvent] };
  return {
    machine: enter(stopped, 'destroyed', at),
    events: [exitEvent, event(m, 'destroy', 'destroyed', 'flyd', at)],
  };
}

export function enter(m: SimMachine, state: MachineState, at: number): SimMachine {
  return { ...m, state, stateEnteredAt: at, updatedAt: at };
}

export function event(
  m: SimMachine,
  type: SimEvent['type'],
  status: string,
  source: SimEvent['source'],
  timestamp: number,
  request?: Record<string, unknown>,
): SimEvent {
  return { type, status, source, timestamp, instanceId: m.instanceId, ...(request === undefined ? {} : { request }) };
}
