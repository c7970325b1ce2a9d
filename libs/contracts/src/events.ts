import type { MachineConfig } from '@hangar/machines-api';

/**
 * Payloads of the events one service writes and another consumes. Each service's own internal
 * events are typed in its domain; these cross a service boundary through the event feed.
 */

export type ReleaseTrigger = 'cli' | 'api' | 'nats' | 'registry' | 'secrets' | 'rollback';
export type ReleaseStatus = 'queued' | 'running' | 'complete' | 'failed' | 'cancelled' | 'rolled_back';

/** Release stream, written by releaser: the release has the app and may start resolving its image. */
export interface ReleaseStartedData {
  releaseId: string;
  app: string;
  version: number;
  /** The image reference to resolve (`nginx`, `127.0.0.1:5000/demo:1`, `repo@sha256:…`). */
  imageRef: string;
}

/** `image-<releaseId>`, written by builder. */
export interface ImageResolvedData {
  releaseId: string;
  app: string;
  /** As requested. */
  ref: string;
  /** Fully qualified `host/repository:tag`. */
  canonicalRef: string;
  digest: string;
  /** `img_` + 16 chars derived from the digest. */
  imageId: string;
}

export interface ImageResolutionFailedData {
  releaseId: string;
  app: string;
  ref: string;
  reason: string;
}

/** What machine-updater is asked to do to one machine. */
/** `replace`: destroy `machineId` and create its successor from `config` (a change of mounts, DESIGN §6.4). */
export type MachineOperationKind = 'update' | 'create' | 'destroy' | 'replace' | 'cordon' | 'uncordon' | 'stop' | 'release-command';

/** Release (or app, for scale) stream, written by releaser; consumed by machine-updater. */
export interface MachineUpdateRequestedData {
  app: string;
  /** Idempotency key: unique per (release, machine, action). */
  key: string;
  kind: MachineOperationKind;
  /** Absent for `create`. */
  machineId?: string;
  releaseId: string;
  releaseVersion: number;
  processGroup: string;
  /**
   * Where the machine goes. Absent for a create with no `primary_region` and no machine to follow:
   * the request then sends no region and the platform chooses, as flyctl does (Fly rejects `local`).
   */
  region?: string;
  /** The full target config (image, env, services, checks, metadata with the release keys). */
  config?: MachineConfig;
  /** Update but leave stopped (the machine was not started before). */
  skipLaunch: boolean;
  /** Wait for `started` with the new instance id and for checks to pass before reporting. */
  waitForHealth: boolean;
  waitTimeoutMs: number;
  /**
   * `create`: launch with `skip_service_registration`, so the proxy does not route to the machine
   * until it is uncordoned (bluegreen greens, as flyctl).
   */
  skipServiceRegistration?: boolean;
  /** Recorded before this field existed: cordon the new machine right after creating it. Read as `skipServiceRegistration`. */
  cordoned?: boolean;
  /**
   * `create` of a machine with `[mounts]` and no volume picked at planning: adopt an unattached volume
   * `name` in `region` (one an interrupted run made) or create it with `sizeGb`, then mount it.
   */
  createVolume?: { name: string; region?: string; sizeGb: number };
  /**
   * The app's secrets version this operation delivers: machine-updater fetches its values from the
   * secrets service right before the call and merges them into `config.env` (DESIGN §6.6, G5).
   */
  secretsVersion?: number;
  /** `update`: the TTL of the machine's lease, ms (`deploy --lease-timeout`); absent: 13 s, as flyctl. */
  leaseTimeoutMs?: number;
}

/**
 * `machine-<id>` of the machine the request named, or `machine-<key>` for an operation that makes a
 * machine (create, release command): written by machine-updater, the operation with `key` succeeded.
 */
export interface MachineUpdatedData {
  app: string;
  key: string;
  kind: MachineOperationKind;
  machineId: string;
  releaseId: string;
  instanceId?: string;
  state?: string;
  /** Facts for point-in-time fleet queries (absent on events recorded before they were added). */
  image?: string;
  processGroup?: string;
  region?: string;
  /** `fly_platform_version = v2` in the machine's metadata. */
  managed?: boolean;
  releaseVersion?: number;
  /** `release-command`: the command's exit code (0) and the last lines it printed. */
  exitCode?: number;
  logs?: string[];
  /** `release-command`: why its lines cannot be shown (the provider serves no logs to this token). */
  logsUnavailable?: string;
}

/** `machine-<id or key>`, written by machine-updater: the operation with `key` failed. */
export interface MachineUpdateFailedData {
  app: string;
  key: string;
  kind: MachineOperationKind;
  machineId?: string;
  releaseId: string;
  reason: string;
  /** `release-command`: the exit code (absent on timeout) and the last 100 lines it printed. */
  exitCode?: number;
  logs?: string[];
  /** `release-command`: why its lines cannot be shown (the provider serves no logs to this token). */
  logsUnavailable?: string;
}

/** A machine or volume an app had when it was destroyed. */
export interface DestroyedMachineRef {
  id: string;
  managed: boolean;
  processGroup?: string;
  region: string;
}
export interface DestroyedVolumeRef {
  id: string;
  name: string;
  region: string;
}

/**
 * `app-<name>`, written by releaser (`apps destroy`): the app is gone from here on; its streams stay.
 * machine-updater consumes it and destroys every machine and volume the machines API still has for
 * the app (`machines` and `volumes` are what it listed just before, recorded ahead of any change).
 */
export interface AppDestroyedData {
  app: string;
  destroyedAt: string;
  machines: DestroyedMachineRef[];
  volumes: DestroyedVolumeRef[];
}

/** `volume-<id>`, written by machine-updater: the volume and its data are gone (`apps destroy`). */
export interface VolumeDestroyedData {
  app: string;
  volumeId: string;
  name: string;
  region: string;
  reason: 'app-destroyed';
}

export const EventTypes = {
  AppCreated: 'AppCreated',
  ReleaseQueued: 'ReleaseQueued',
  ReleaseStarted: 'ReleaseStarted',
  ImageResolved: 'ImageResolved',
  ImageResolutionFailed: 'ImageResolutionFailed',
  RolloutPlanned: 'RolloutPlanned',
  MachineUpdateRequested: 'MachineUpdateRequested',
  MachineUpdateStarted: 'MachineUpdateStarted',
  MachineUpdated: 'MachineUpdated',
  MachineUpdateFailed: 'MachineUpdateFailed',
  RolloutStepSucceeded: 'RolloutStepSucceeded',
  RolloutStepFailed: 'RolloutStepFailed',
  ReleaseCompleted: 'ReleaseCompleted',
  ReleaseFailed: 'ReleaseFailed',
  MachineCreated: 'MachineCreated',
  MachineDestroyed: 'MachineDestroyed',
  AppDestroyed: 'AppDestroyed',
  VolumeDestroyed: 'VolumeDestroyed',
} as const;
