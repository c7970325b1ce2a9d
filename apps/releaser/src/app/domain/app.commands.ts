import type { ReleaseTrigger } from '@hangar/contracts';
import type { DestroyedMachineRef, DestroyedVolumeRef, PlatformVersion, ReleaseOutcome } from './app.events';

/** A point in time as the handler's clock gave it; events store it as an ISO-8601 string. */
export type Instant = Date | string;

export type CreateApp = {
  readonly type: 'CreateApp';
  readonly app: string;
  readonly platformVersion: PlatformVersion;
  readonly now: Instant;
};

export type EnqueueRelease = {
  readonly type: 'EnqueueRelease';
  readonly app: string;
  readonly releaseId: string;
  readonly trigger: ReleaseTrigger;
};

/** The running release reached a terminal status: hand the lock to the next queued release. */
export type FinishRelease = {
  readonly type: 'FinishRelease';
  readonly releaseId: string;
  readonly status: ReleaseOutcome;
};

/** Record an address the IP pool handed to the app (or the shared IPv4). */
export type AllocateIp = {
  readonly type: 'AllocateIp';
  readonly app: string;
  readonly address: string;
  readonly ipType: 'v4' | 'v6';
  readonly shared: boolean;
  readonly now: Instant;
};

export type ReleaseIp = {
  readonly type: 'ReleaseIp';
  readonly app: string;
  readonly address: string;
};

/** The user confirmed migrating a legacy app; `machineIds` were given v2 metadata (DESIGN §6.7). */
export type MigrateToV2 = {
  readonly type: 'MigrateToV2';
  readonly app: string;
  readonly machineIds: readonly string[];
};

/**
 * `apps destroy`: the app ends here. `machines` and `volumes` are what the machines API listed just
 * before, recorded so the event says what was to be destroyed before anything is touched (G1).
 */
export type DestroyApp = {
  readonly type: 'DestroyApp';
  readonly app: string;
  readonly machines: readonly DestroyedMachineRef[];
  readonly volumes: readonly DestroyedVolumeRef[];
  readonly now: Instant;
};

export type AppCommand = CreateApp | EnqueueRelease | FinishRelease | AllocateIp | ReleaseIp | MigrateToV2 | DestroyApp;
