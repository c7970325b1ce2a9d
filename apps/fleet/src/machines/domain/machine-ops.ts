import type { MachineConfig, MachineState } from '@hangar/machines-api';
import { FleetErrorCodes, fleetError } from './fleet-errors';
import { enter, event } from './machine-sim';
import type { RunProfile, SimMachine, SimResult, StopRequest } from './sim.types';

/**
 * The request-driven half of the simulator: what each Machines API call does to a machine that has
 * already been advanced to `now` (machine-sim.ts). Pure; ids, time and the run profile come in.
 */

/** States in which the machine is (or is about to be) running. */
const RUNNING: ReadonlySet<MachineState> = new Set(['starting', 'started', 'replacing', 'failed']);

export function isRunning(state: MachineState): boolean {
  return RUNNING.has(state);
}

export interface LaunchRequest {
  id: string;
  app: string;
  name: string;
  region: string;
  config: MachineConfig;
  instanceId: string;
  now: number;
  /** null = `skip_launch`: the machine stays `created` until started. */
  run: RunProfile | null;
  /** `skip_service_registration`: the proxy does not route to it until it is uncordoned (Fly: not registered). */
  skipServiceRegistration?: boolean;
}

export function launchMachine(req: LaunchRequest): SimResult {
  const machine: SimMachine = {
    id: req.id,
    app: req.app,
    name: req.name,
    region: req.region,
    state: req.run ? 'starting' : 'created',
    instanceId: req.instanceId,
    config: req.config,
    cordoned: req.skipServiceRegistration === true,
    createdAt: req.now,
    updatedAt: req.now,
    stateEnteredAt: req.now,
    run: req.run,
    logs: [],
  };
  const request = req.skipServiceRegistration ? { skip_service_registration: true } : undefined;
  return { machine, events: [event(machine, 'launch', 'created', 'user', req.now, request)] };
}

/** Whether an update boots the new instance: only a running machine without `skip_launch` does; a stopped one stays stopped. */
export function updateBoots(machine: SimMachine, skipLaunch: boolean): boolean {
  return !skipLaunch && isRunning(machine.state);
}

export interface UpdateRequest {
  config: MachineConfig;
  instanceId: string;
  now: number;
  /** The new run when {@link updateBoots}; null otherwise. */
  run: RunProfile | null;
}

/** A new instance with the new config: `replacing` → `starting` → `started`, or stopped (`skip_launch` on a running machine stops it). */
export function updateMachine(machine: SimMachine, req: UpdateRequest): SimResult {
  assertExists(machine);
  const next: SimMachine = { ...machine, config: req.config, instanceId: req.instanceId, run: req.run, updatedAt: req.now };
  const state: MachineState = req.run ? 'replacing' : isRunning(machine.state) ? 'stopping' : machine.state;
  const updated = state === machine.state ? next : enter(next, state, req.now);
  return { machine: updated, events: [event(updated, 'update', req.run ? 'replacing' : state, 'user', req.now)] };
}

/** `start` of a machine that is not running boots it with `run` (required then, see {@link startBoots}); of a running one it changes nothing. */
export function startMachine(machine: SimMachine, now: number, run: RunProfile | null): SimResult & { previousState: MachineState } {
  assertExists(machine);
  const previousState = machine.state;
  if (isRunning(machine.state)) return { machine, events: [], previousState };
  if (!run) throw new Error(`startMachine: machine ${machine.id} boots and needs a run profile`);
  const started = { ...enter(machine, 'starting', now), run };
  return { machine: started, events: [event(started, 'start', 'starting', 'user', now)], previousState };
}

/** Whether `start` would boot the machine (so a run profile has to be chosen). */
export function startBoots(machine: SimMachine): boolean {
  return machine.state !== 'destroyed' && !isRunning(machine.state);
}

/** What a stop asked for beyond the machine's `stop_config`; recorded on its `stop` event. */
export type { StopRequest } from './sim.types';

/** `stop`: `stopping` now, `stopped` with an exit event (requested_stop) right after; stopping a stopped machine is a no-op. */
export function stopMachine(machine: SimMachine, now: number, request: StopRequest = {}): SimResult {
  assertExists(machine);
  if (!isRunning(machine.state)) return { machine, events: [] };
  // A real container keeps its run until the runtime sees it exit; a simulated one stops at once.
  const asked = { ...(request.signal ? { signal: request.signal } : {}), ...(request.timeout !== undefined ? { timeout: request.timeout } : {}) };
  const stopping = { ...enter(machine, 'stopping', now), run: machine.run?.external ? { ...machine.run, stop: asked } : null };
  return { machine: stopping, events: [event(stopping, 'stop', 'stopping', 'user', now, Object.keys(asked).length > 0 ? asked : undefined)] };
}

/** `destroy`: refused for a running machine unless `kill`; destroying a destroyed machine is a no-op so retries are safe. */
export function destroyMachine(machine: SimMachine, now: number, kill: boolean): SimResult {
  if (machine.state === 'destroyed') return { machine, events: [] };
  if (isRunning(machine.state) && !kill) {
    throw fleetError(FleetErrorCodes.PRECONDITION, `failed_precondition: unable to destroy machine ${machine.id}, not currently stopped (state ${machine.state}); use kill=true`);
  }
  const destroyed = { ...enter(machine, 'destroyed', now), run: null };
  return { machine: destroyed, events: [event(destroyed, 'destroy', 'destroyed', 'user', now)] };
}

export function setCordoned(machine: SimMachine, cordoned: boolean, now: number): SimResult {
  assertExists(machine);
  const next = { ...machine, cordoned, updatedAt: now };
  return { machine: next, events: [event(next, cordoned ? 'cordon' : 'uncordon', next.state, 'user', now)] };
}

/** Sets (`value` given) or deletes a metadata key; no new instance, as in Fly. */
export function setMetadata(machine: SimMachine, key: string, value: string | undefined, now: number): SimResult {
  assertExists(machine);
  const metadata = { ...machine.config.metadata };
  if (value === undefined) delete metadata[key];
  else metadata[key] = value;
  const next = { ...machine, config: { ...machine.config, metadata }, updatedAt: now };
  const request = value === undefined ? { key } : { key, value };
  return { machine: next, events: [event(next, 'metadata', value === undefined ? 'deleted' : 'set', 'user', now, request)] };
}

function assertExists(machine: SimMachine): void {
  if (machine.state === 'destroyed') throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${machine.id} not found (destroyed)`);
}
