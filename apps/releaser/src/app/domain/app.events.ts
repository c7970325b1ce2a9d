import type { ReleaseTrigger } from '@hangar/contracts';

/** `v2`: deploys manage machines by metadata; `legacy`: needs an explicit migration first (DESIGN §6.7). */
export type PlatformVersion = 'v2' | 'legacy';

/** How a running release let go of the app: the release's terminal status. */
export type ReleaseOutcome = 'complete' | 'failed' | 'cancelled';

/** A queued or running release, as the app's deploy queue sees it. */
export type QueuedRelease = { readonly releaseId: string; readonly version: number };

export type AppCreated = {
  readonly type: 'AppCreated';
  readonly data: { readonly app: string; readonly platformVersion: PlatformVersion; readonly createdAt: string };
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

export type AppEvent = AppCreated | ReleaseEnqueued | AppLockAcquired | AppLockReleased | ScaleRequested;
