import type { AppDestroyedData, DestroyedMachineRef, DestroyedVolumeRef, MachinesProviderKind, ReleaseTrigger } from '@hangar/contracts';

/** `v2`: deploys manage machines by metadata; `legacy`: needs an explicit migration first (DESIGN §6.7). */
export type PlatformVersion = 'v2' | 'legacy';

/** How a running release let go of the app: the release's terminal status. */
export type ReleaseOutcome = 'complete' | 'failed' | 'cancelled';

/** A queued or running release, as the app's deploy queue sees it. */
export type QueuedRelease = { readonly releaseId: string; readonly version: number };

/**
 * `provider`, `org`, `providerApp`: the machines provider's app behind it (issue 14 point 1), made or
 * found by `apps create`, or adopted by `apps import`; absent on apps created before they were recorded.
 */
export type AppCreated = {
  readonly type: 'AppCreated';
  readonly data: {
    readonly app: string;
    readonly platformVersion: PlatformVersion;
    readonly createdAt: string;
    readonly provider?: MachinesProviderKind;
    readonly org?: string;
    readonly providerApp?: 'created' | 'existing' | 'imported';
  };
};

/**
 * `apps import`, right after its `AppCreated`: what the provider's app had. `managed` machines (v2
 * metadata) keep their recorded release; `releaseVersion` is the highest of those (0 when none), and
 * the app's next release is `releaseVersion + 1`. Hangar has no release record of the versions before.
 */
export type AppImported = {
  readonly type: 'AppImported';
  readonly data: {
    readonly app: string;
    readonly org: string;
    readonly releaseVersion: number;
    readonly managed: readonly { readonly machineId: string; readonly processGroup: string; readonly releaseVersion?: number }[];
    readonly unmanaged: readonly string[];
  };
};

/** The release got its version and joined the app's FIFO queue. */
export type ReleaseEnqueued = {
  readonly type: 'ReleaseEnqueued';
  readonly data: { readonly app: string; readonly releaseId: string; readonly version: number; readonly trigger: ReleaseTrigger };
};

/** The release now runs: it is the app's one running release (DESIGN G4). */
export type AppLockAcquired = {
  readonly type: 'AppLockAcquired';
  readonly data: { readonly app: string; readonly releaseId: string; readonly version: number };
};

export type AppLockReleased = {
  readonly type: 'AppLockReleased';
  readonly data: { readonly app: string; readonly releaseId: string; readonly version: number; readonly status: ReleaseOutcome };
};

/**
 * `hangar scale count`: create or destroy managed machines of one group without a release.
 * `releaseId` is the release whose image and config the new machines get (the app's last complete one).
 */
export type ScaleRequested = {
  readonly type: 'ScaleRequested';
  readonly data: {
    readonly app: string;
    readonly key: string;
    readonly processGroup: string;
    readonly region?: string;
    readonly count: number;
    readonly releaseId: string;
  };
};

/** An IP address the app holds: dedicated (`shared: false`) or the pool's shared IPv4 (DESIGN §6.6). */
export type AppIp = { readonly address: string; readonly type: 'v4' | 'v6'; readonly shared: boolean; readonly allocatedAt: string };

/** An address was allocated to the app, without a release (DESIGN §6.6). */
export type IpAllocated = {
  readonly type: 'IpAllocated';
  readonly data: { readonly app: string } & AppIp;
};

/**
 * An address the machines provider (Fly.io's IP assignments API) assigned to the app, with
 * `HANGAR_MACHINES_PROVIDER=fly`: recorded after the provider answered. The provider holds these,
 * not a local pool, so they are not part of the app's pool addresses (`apps destroy` returns none of them).
 */
export type ProviderIpAllocated = {
  readonly type: 'ProviderIpAllocated';
  readonly data: { readonly app: string; readonly provider: 'fly'; readonly address: string; readonly type: 'v4' | 'v6'; readonly shared: boolean; readonly region?: string };
};

/** The provider released the address (`ips release` with `HANGAR_MACHINES_PROVIDER=fly`). */
export type ProviderIpReleased = {
  readonly type: 'ProviderIpReleased';
  readonly data: { readonly app: string; readonly provider: 'fly'; readonly address: string };
};

export type IpReleased = {
  readonly type: 'IpReleased';
  readonly data: { readonly app: string; readonly address: string; readonly type: 'v4' | 'v6'; readonly shared: boolean };
};

/**
 * A legacy app became a v2 app (DESIGN §6.7): `machineIds` are the machines that existed then and
 * were given v2 metadata, so deploys manage them from now on.
 */
export type AppMigratedToV2 = {
  readonly type: 'AppMigratedToV2';
  readonly data: { readonly app: string; readonly machineIds: readonly string[] };
};

/** A queued release was cancelled before it ran: it leaves the queue (`releases cancel`). */
export type ReleaseDequeued = {
  readonly type: 'ReleaseDequeued';
  readonly data: { readonly app: string; readonly releaseId: string; readonly version: number };
};

export type { DestroyedMachineRef, DestroyedVolumeRef };

/**
 * `apps destroy`: the app is gone from here on (no deploy, scale, secret or machine command accepts
 * it, and its name is never used again); its streams stay for audit. machine-updater then destroys
 * the machines and volumes the machines API has for it, which `machines` and `volumes` list as they
 * were when the app was destroyed.
 */
export type AppDestroyed = { readonly type: 'AppDestroyed'; readonly data: AppDestroyedData };

export type AppEvent =
  | AppCreated
  | AppImported
  | ReleaseEnqueued
  | AppLockAcquired
  | AppLockReleased
  | ScaleRequested
  | IpAllocated
  | IpReleased
  | ProviderIpAllocated
  | ProviderIpReleased
  | AppMigratedToV2
  | ReleaseDequeued
  | AppDestroyed;
