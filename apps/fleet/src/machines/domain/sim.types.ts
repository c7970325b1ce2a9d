import type { MachineConfig, MachineState } from '@hangar/machines-api';

/**
 * How the current run of a machine unfolds, fixed when it boots (from fleet's boot time and the
 * faults that matched). Persisted with the machine so a restarted fleet replays the same timeline.
 */
export interface RunProfile {
  /** Time from `starting` to `started` (or to the crash), ms. */
  bootMs: number;
  /** `serve` runs until stopped; `crash` exits with code 1 at the end of boot; `exit` runs `runMs` then exits with `exitCode`. */
  outcome: 'serve' | 'crash' | 'exit';
  exitCode: number;
  runMs: number;
  /** Printed when the run exits. */
  logs: string[];
  /** How the exit is reported: absent the flat `request.exit_event`; `nested` under `MonitorEvent`; `none` destroyed without one. */
  exitEvent?: 'nested' | 'none';
  /** Checks stay critical while started. */
  unhealthy: boolean;
  /**
   * A real container runs this machine (`HANGAR_FLEET_RUNTIME=podman`): nothing happens on a clock;
   * the runtime reports when it started, exited and stopped.
   */
  external?: boolean;
  /** Restarts done under the machine's restart policy during this run (external runs). */
  restarts?: number;
  /** What the stop being carried out asked for (external runs): its signal and timeout win over `stop_config`. */
  stop?: StopRequest;
}

/** A stop's body (Fly's `StopRequest`) or restart's query. */
export interface StopRequest {
  signal?: string;
  /** As the caller sent it: a Go duration or a number of seconds. */
  timeout?: string | number;
}

/** A machine as the simulator sees it; times are ms since the epoch. */
export interface SimMachine {
  id: string;
  app: string;
  name: string;
  region: string;
  state: MachineState;
  instanceId: string;
  config: MachineConfig;
  cordoned: boolean;
  createdAt: number;
  updatedAt: number;
  /** When `state` was entered: the origin of the next timed transition. */
  stateEnteredAt: number;
  run: RunProfile | null;
  logs: string[];
}

/** Event types Fly shows in `events[]`; fleet also records `cordon`, `uncordon` and `metadata` in its timeline. */
export type SimEventType = 'launch' | 'update' | 'start' | 'stop' | 'exit' | 'destroy' | 'cordon' | 'uncordon' | 'metadata';

export interface SimEvent {
  type: SimEventType;
  status: string;
  source: 'flyd' | 'user';
  timestamp: number;
  instanceId: string;
  request?: Record<string, unknown>;
}

/** The result of every simulator step: the machine after it and the events it produced, oldest first. */
export interface SimResult {
  machine: SimMachine;
  events: SimEvent[];
}

export interface SimLease {
  machineId: string;
  nonce: string;
  owner: string;
  description: string;
  version: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/**
 * `exit-nested`: as `exit`, but the exit event is reported only under `request.MonitorEvent.exit_event`
 * (as newer flyd does, and fly-go reads first); `vanish`: as `exit`, but the machine is destroyed
 * with no exit event at all (its outcome is unknowable).
 * `host-unreachable` lasts while the fault exists (it is not used up): the machines it matches are
 * answered as Fly answers a machine whose host does not respond (no `config`, `host_status`
 * `unreachable`), and every call on them is refused.
 */
export type FaultEffect = 'crash-on-start' | 'unhealthy' | 'slow-start' | 'update-error' | 'exit' | 'exit-nested' | 'vanish' | 'host-unreachable';

export interface FaultMatch {
  app?: string;
  image?: string;
  machineId?: string;
  command?: string;
}

export interface Fault {
  id: string;
  match: FaultMatch;
  effect: FaultEffect;
  delayMs: number;
  /** Machines it may still hit; null = unlimited. */
  remaining: number | null;
  code: number | null;
  logs: string[];
  createdAt: number;
}
