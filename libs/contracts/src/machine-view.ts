import type { MachineCheckStatus, MachineConfig, MachineEvent, MachineState } from '@hangar/machines-api';

/** One machine as the `list-machines` command returns it (and `status --json` shows, minus `config`). */
export interface MachineView {
  id: string;
  processGroup: string;
  region: string;
  state: MachineState;
  managed: boolean;
  releaseId?: string;
  releaseVersion?: number;
  image: string;
  /** The image as the Machines API reports it; `digest` is empty when it does not know one. */
  imageRef?: { registry: string; repository: string; tag: string; digest: string };
  instanceId: string;
  volume?: string;
  mountPath?: string;
  /**
   * The Machines API's `host_status` when it is not `ok` (`unreachable`, `unknown`): the machine's
   * host does not answer, `config` is only the partial config the API could rebuild, deploys skip it
   * and no call on it can work until the host is back. Absent when the host is fine.
   */
  hostStatus?: string;
  config: MachineConfig;
}

/**
 * One machine as `get-machine` returns it (`machine status --json`): the view plus what the Machines
 * API says about it. `config.env` is there, with every value the app's secrets put in it replaced by
 * {@link REDACTED} (DESIGN G5).
 */
export interface MachineDetail extends MachineView {
  name: string;
  privateIp?: string;
  cordoned?: boolean;
  createdAt: string;
  updatedAt: string;
  /** Fly's `events[]`, newest first. */
  events: MachineEvent[];
  checks: MachineCheckStatus[];
}

/** What stands in for a secret's value wherever a machine's env is shown. */
export const REDACTED = '[REDACTED]';

/** The start, stop and restart of one machine outside a deploy (`machine start|stop|restart`). */
export type MachinePowerAction = 'start' | 'stop' | 'restart';

/**
 * `machine-<id>`, written by machine-updater before it starts, stops or restarts a machine on a
 * user's request, with the lease held (write-ahead); followed by `MachineStarted`, `MachineStopped`
 * or `MachineRestarted`, or by `MachineActionFailed`.
 */
export interface MachineActionRequestedData {
  app: string;
  machineId: string;
  action: MachinePowerAction;
  managed: boolean;
  processGroup: string;
  /** The state it was in when asked. */
  previousState: MachineState;
  /** `stop` / `restart`: the signal and kill timeout (Go duration) asked for, when not the machine's `stop_config`. */
  signal?: string;
  timeout?: string;
}

/** `MachineStarted` / `MachineStopped` / `MachineRestarted`: the Machines API carried out the action. */
export interface MachinePowerChangedData extends MachineActionRequestedData {
  /** The machine's state and instance right after the call (a start is still booting: `starting`). */
  state: MachineState;
  instanceId: string;
}

/** `MachineActionFailed`: the Machines API refused or failed the action; `reason` is its answer. */
export interface MachineActionFailedData extends MachineActionRequestedData {
  reason: string;
}

/** Why `machine start|stop|restart` was refused: the machine is busy elsewhere (both 409). */
export const MachinePowerErrorCodes = {
  /** A managed machine while a release of its app holds the deploy lock. */
  RELEASE_CONFLICT: 'MACHINE.RELEASE_CONFLICT',
  /** Someone else (a deploy's machine update, another command) holds the machine's lease. */
  LEASE_HELD: 'MACHINE.LEASE_HELD',
} as const;

export const MachinePowerEventTypes = {
  MachineActionRequested: 'MachineActionRequested',
  MachineStarted: 'MachineStarted',
  MachineStopped: 'MachineStopped',
  MachineRestarted: 'MachineRestarted',
  MachineActionFailed: 'MachineActionFailed',
} as const;

/** The event recording that `action` was carried out. */
export function powerChangedType(action: MachinePowerAction): 'MachineStarted' | 'MachineStopped' | 'MachineRestarted' {
  return action === 'start' ? 'MachineStarted' : action === 'stop' ? 'MachineStopped' : 'MachineRestarted';
}
