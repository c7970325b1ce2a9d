import type { MachinesProviderKind, ReleaseTrigger } from '@hangar/contracts';
import type { DestroyedMachineRef, DestroyedVolumeRef, PlatformVersion, ReleaseOutcome } from './app.events';

/** A point in time as the handler's clock gave it; events store it as an ISO-8601 string. */
export type Instant = Date | string;

export type CreateApp = {
  readonly type: 'CreateApp';
  readonly app: string;
  readonly platformVersion: PlatformVersion;
  /** Where the provider app is, and whether `apps create` made it or found it (absent while only validating). */
  readonly provider?: ProviderAppRecord;
  readonly now: Instant;
};

/** The machines provider's app behind a Hangar app: which provider, which org, made or found. */
export type ProviderAppRecord = {
  readonly provider: MachinesProviderKind;
  readonly org: string;
  /** `created` by this `apps create`; `existing` an app of that name the token could read; `imported` by `apps import`. */
  readonly providerApp: 'created' | 'existing' | 'imported';
};

/** One machine of an app being imported, as the provider listed it. */
export type ImportedMachine = {
  readonly id: string;
  /** `fly_platform_version = v2` in its metadata. */
  readonly managed: boolean;
  readonly processGroup: string;
  /** `fly_release_version`, when it has one. */
  readonly releaseVersion?: number;
};

/**
 * `apps import <app>`: adopt the provider's existing app (issue 14 point 1). Its machines with v2
 * metadata stay managed at their recorded release, the rest unmanaged; Hangar's versions continue
 * after the highest recorded one. `provider` is absent while only validating.
 */
export type ImportApp = {
  readonly type: 'ImportApp';
  readonly app: string;
  readonly provider?: ProviderAppRecord;
  readonly machines: readonly ImportedMachine[];
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

export type AppCommand = CreateApp | ImportApp | EnqueueRelease | FinishRelease | AllocateIp | ReleaseIp | MigrateToV2 | DestroyApp;
