import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import type { MachineUpdateRequestedData, ReleaseStartedData, ReleaseTrigger } from '@hangar/contracts';
import type { MachineGuest, MachineMount } from '@hangar/machines-api';

/**
 * `canary`: an extra machine of the group at the new release, kept until the roll is done (DESIGN
 * §6.2); `green`: the bluegreen replacement of the blue machine `machineId`.
 */
export type RolloutAction = 'update' | 'create' | 'destroy' | 'skip' | 'canary' | 'green' | 'replace';

/** The image a release rolls out, as builder resolved it (`ImageResolved`). */
export type ResolvedImage = {
  readonly ref: string;
  /** `host/repository:tag`. */
  readonly canonicalRef: string;
  readonly digest: string;
  /** `img_` + 16 chars derived from the digest. */
  readonly imageId: string;
};

/**
 * One machine's line in the fixed rollout plan (DESIGN §5 step 4). Everything needed to build the
 * target config later is captured here, so resuming never looks at the fleet again.
 */
export type PlanEntry = {
  /** Idempotency key: `<releaseId>:<action>:<machineId>` or `<releaseId>:create:<group>:<n>`. */
  readonly key: string;
  readonly action: RolloutAction;
  /** Absent for `create`. */
  readonly machineId?: string;
  readonly processGroup: string;
  /** Absent for a create with no `primary_region` and no machine to follow: the platform chooses. */
  readonly region?: string;
  /** The machine was `started`/`starting` when planned: its update makes it unavailable for a while. */
  readonly wasStarted: boolean;
  readonly fromReleaseVersion?: number;
  readonly fromInstanceId?: string;
  /** The machine's guest, kept when no `[[vm]]` applies. */
  readonly guest?: MachineGuest;
  /** The machine's mounts: a deploy never changes which volume a machine has (DESIGN §6.4). */
  readonly mounts?: readonly MachineMount[];
  /** `replace` onto a volume: the unattached volume the new machine mounts. */
  readonly volumeId?: string;
};

export type Failure = { readonly machineId?: string; readonly key?: string; readonly reason: string };

export type ReleaseQueued = {
  readonly type: 'ReleaseQueued';
  readonly data: {
    readonly releaseId: string;
    readonly app: string;
    readonly version: number;
    readonly config: AppConfig;
    readonly imageRef: string;
    readonly strategy: DeployStrategy;
    /** As given: ≥ 1 a machine count, in (0, 1) a fraction of started machines. */
    readonly maxUnavailable: number;
    readonly waitTimeoutMs: number;
    readonly trigger: ReleaseTrigger;
    readonly actor: string;
    readonly createdAt: string;
    /** `null`: no limit (`release_command_timeout = "none"`); absent: the 5 minute default. */
    readonly releaseCommandTimeoutMs?: number | null;
    /** Secrets releases and rollbacks run no release command. */
    readonly skipReleaseCommand?: boolean;
    /** The app's secrets version every machine of this release gets; absent when the app has no secrets. */
    readonly secretsVersion?: number;
    /** `deploy --process-group`: only these groups are rolled; the others' machines are skipped. */
    readonly processGroups?: readonly string[];
    /** `deploy --yes`: removing `[mounts]` may detach volumes (their machines are replaced). */
    readonly allowVolumeDetach?: boolean;
    /** A rollback: machines still on this release are already at the target and are skipped. */
    readonly rollbackOf?: { readonly releaseId: string; readonly version: number };
  };
};

export type ReleaseStarted = { readonly type: 'ReleaseStarted'; readonly data: ReleaseStartedData };

export type RolloutPlanned = {
  readonly type: 'RolloutPlanned';
  readonly data: {
    readonly releaseId: string;
    readonly app: string;
    readonly image: ResolvedImage;
    readonly strategy: DeployStrategy;
    /** `maxUnavailable` resolved against the started machines: a count, ≥ 1. */
    readonly maxUnavailableCount: number;
    readonly entries: readonly PlanEntry[];
  };
};

export type MachineUpdateRequested = { readonly type: 'MachineUpdateRequested'; readonly data: MachineUpdateRequestedData };

export type RolloutStepSucceeded = {
  readonly type: 'RolloutStepSucceeded';
  readonly data: { readonly releaseId: string; readonly app: string; readonly key: string; readonly machineId: string; readonly instanceId?: string };
};

export type RolloutStepFailed = {
  readonly type: 'RolloutStepFailed';
  readonly data: { readonly releaseId: string; readonly app: string; readonly key: string; readonly machineId?: string; readonly reason: string };
};

export type ReleaseCompleted = {
  readonly type: 'ReleaseCompleted';
  readonly data: { readonly releaseId: string; readonly app: string; readonly version: number; readonly finishedAt: string };
};

export type ReleaseFailed = {
  readonly type: 'ReleaseFailed';
  readonly data: {
    readonly releaseId: string;
    readonly app: string;
    readonly version: number;
    readonly reason: string;
    readonly failures: readonly Failure[];
    readonly finishedAt: string;
  };
};

/** The release command's temporary machine was requested (DESIGN §5 step 3). */
export type ReleaseCommandStarted = {
  readonly type: 'ReleaseCommandStarted';
  readonly data: { readonly releaseId: string; readonly app: string; readonly key: string; readonly command: string; readonly image: ResolvedImage };
};

export type ReleaseCommandCompleted = {
  readonly type: 'ReleaseCommandCompleted';
  readonly data: { readonly releaseId: string; readonly app: string; readonly key: string; readonly machineId: string };
};

export type ReleaseCommandFailed = {
  readonly type: 'ReleaseCommandFailed';
  readonly data: {
    readonly releaseId: string;
    readonly app: string;
    readonly key: string;
    readonly machineId?: string;
    readonly exitCode?: number;
    /** The last (at most 100) lines the command printed. */
    readonly logs: readonly string[];
    readonly reason: string;
  };
};

/** `releases cancel` on a running release: no new operation starts; in-flight ones finish. */
export type ReleaseCancelRequested = {
  readonly type: 'ReleaseCancelRequested';
  readonly data: { readonly releaseId: string; readonly app: string; readonly actor: string };
};

export type ReleaseCancelled = {
  readonly type: 'ReleaseCancelled';
  readonly data: { readonly releaseId: string; readonly app: string; readonly version: number; readonly finishedAt: string };
};

/** This failed release was followed by an automatic rollback release (status `rolled_back`, DESIGN §1). */
export type ReleaseRolledBack = {
  readonly type: 'ReleaseRolledBack';
  readonly data: { readonly releaseId: string; readonly app: string; readonly rollbackReleaseId: string; readonly rollbackVersion: number; readonly toVersion: number };
};

export type ReleaseEvent =
  | ReleaseRolledBack
  | ReleaseCommandStarted
  | ReleaseCommandCompleted
  | ReleaseCommandFailed
  | ReleaseCancelRequested
  | ReleaseCancelled
  | ReleaseQueued
  | ReleaseStarted
  | RolloutPlanned
  | MachineUpdateRequested
  | RolloutStepSucceeded
  | RolloutStepFailed
  | ReleaseCompleted
  | ReleaseFailed;
