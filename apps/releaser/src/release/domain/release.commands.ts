import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import type { MachinesProviderKind, ReleaseTrigger } from '@hangar/contracts';
import type { MachineConfig, MachineState } from '@hangar/machines-api';
import type { DeployFlags, ResolvedImage } from './release.events';
import type { VolumeSnapshot } from './volume-plan';

/** A point in time as the handler's clock gave it; events store it as an ISO-8601 string. */
export type Instant = Date | string;

/**
 * One machine of the app as the machines API listed it at planning time. The Nest side builds it:
 * `managed` = metadata `fly_platform_version === 'v2'`, `processGroup` = `fly_process_group`,
 * `releaseId`/`releaseVersion` = `fly_release_id`/`fly_release_version`.
 */
export type MachineSnapshot = {
  readonly id: string;
  readonly state: MachineState;
  readonly region: string;
  readonly processGroup?: string;
  readonly managed: boolean;
  readonly releaseId?: string;
  readonly releaseVersion?: number;
  readonly instanceId: string;
  readonly config: MachineConfig;
  /** `unreachable` / `unknown` when the machine's host does not answer: the plan skips it with a warning. */
  readonly hostStatus?: string;
};

export type QueueRelease = DeployFlags & {
  readonly type: 'QueueRelease';
  readonly releaseId: string;
  readonly app: string;
  readonly version: number;
  readonly config: AppConfig;
  readonly imageRef: string;
  readonly strategy: DeployStrategy;
  /** As given: ≥ 1 a machine count, in (0, 1) a fraction of started machines; must be > 0. */
  readonly maxUnavailable: number;
  readonly waitTimeoutMs: number;
  readonly trigger: ReleaseTrigger;
  readonly actor: string;
  readonly now: Instant;
  readonly releaseCommandTimeoutMs?: number | null;
  readonly skipReleaseCommand?: boolean;
  /** The app's secrets version the machines get (DESIGN §6.6); absent when the app has no secrets. */
  readonly secretsVersion?: number;
  readonly rollbackOf?: { readonly releaseId: string; readonly version: number };
  readonly allowVolumeDetach?: boolean;
};

export type StartRelease = { readonly type: 'StartRelease' };

/** After the image resolved: fix the plan and request the first operations. */
export type PlanRollout = {
  readonly type: 'PlanRollout';
  readonly image: ResolvedImage;
  readonly machines: readonly MachineSnapshot[];
  /** The app's volumes, for `[mounts]` changes (DESIGN §6.4). */
  readonly volumes?: readonly VolumeSnapshot[];
  /**
   * `HANGAR_MACHINES_PROVIDER` (absent: `fleet`). With `fly`, an image from a registry Fly.io cannot
   * reach fails the release here, before any machine (or the release command) is touched.
   */
  readonly provider?: MachinesProviderKind;
  readonly now: Instant;
};

/** A failure before the rollout (image resolution, release command). */
export type FailRelease = { readonly type: 'FailRelease'; readonly reason: string; readonly now: Instant };

/** machine-updater reported the outcome of the operation with `key`. */
export type RecordStepOutcome = {
  readonly type: 'RecordStepOutcome';
  readonly key: string;
  readonly ok: boolean;
  /** Required on success of a `create` (the new machine's id). */
  readonly machineId?: string;
  readonly instanceId?: string;
  readonly reason?: string;
  /** Release command outcomes: its exit code and the last lines it printed. */
  readonly exitCode?: number;
  readonly logs?: readonly string[];
  /** Why the release command's lines cannot be shown. */
  readonly logsUnavailable?: string;
  readonly now: Instant;
};

/** `releases cancel`: a queued release ends at once; a running one after its in-flight operations. */
export type CancelRelease = { readonly type: 'CancelRelease'; readonly actor: string; readonly now: Instant };

export type ReleaseCommand = QueueRelease | StartRelease | PlanRollout | FailRelease | RecordStepOutcome | CancelRelease;
