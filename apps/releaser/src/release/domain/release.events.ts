import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import type { MachineUpdateRequestedData, ReleaseStartedData, ReleaseTrigger } from '@hangar/contracts';
import type { MachineGuest, MachineMount } from '@hangar/machines-api';
import type { FilterOutcome, MachineFilters } from './machine-filters';

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
  /** `replace` onto a volume, or a `create` that found one: the unattached volume the new machine mounts. */
  readonly volumeId?: string;
  /**
   * A `create` of a group with `[mounts]` and no unattached volume of that name in its region: the
   * volume machine-updater makes first (or adopts, when an interrupted run already made it).
   */
  readonly createVolume?: VolumeToCreate;
};

/** A volume to create for a new machine (flyctl's first deploy: `initial_size`, default 1 GB). */
/** `region` absent: none was known (no `primary_region`, no machine to follow); the platform picks it and the machine follows its volume. */
export type VolumeToCreate = { readonly name: string; readonly region?: string; readonly sizeGb: number };

export type Failure = { readonly machineId?: string; readonly key?: string; readonly reason: string };

/**
 * What `deploy` was asked beyond fly.toml and the strategy settings (flyctl's flags, issue 15), kept
 * in the release so that planning after a restart does exactly what was asked. Absent: not asked.
 */
export type DeployFlags = MachineFilters & {
  /** `--env NAME=VALUE`: already merged over `[env]` in `config.env`; kept to show what was asked. */
  readonly envOverrides?: Readonly<Record<string, string>>;
  /** `--image-label`: only recorded; Hangar builds and pushes no image for it to tag (yet). */
  readonly imageLabel?: string;
  /** `--update-only`: no machines for process groups that have none. */
  readonly updateOnly?: boolean;
  /** `--ha`: false gives a group with no machine 1 machine instead of 2. Absent: true. */
  readonly ha?: boolean;
  /** `--lease-timeout`: the TTL of the lease each machine update holds. Absent: 13 s. */
  readonly leaseTimeoutMs?: number;
};

export type ReleaseQueued = {
  readonly type: 'ReleaseQueued';
  readonly data: DeployFlags & {
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
    /** Present when a deploy filter applied: flyctl's `… filter(s) applied, deploying to N/M machines`. */
    readonly filters?: FilterOutcome;
    /** Machines left out of the plan and why (a machine on an unreachable host); absent when none. */
    readonly warnings?: readonly string[];
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
    /** Why there are no lines to show (the provider serves no logs to this token): never shown as "no output". */
    readonly logsUnavailable?: string;
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
