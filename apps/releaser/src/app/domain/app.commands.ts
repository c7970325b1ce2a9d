import type { ReleaseTrigger } from '@hangar/contracts';
import type { PlatformVersion, ReleaseOutcome } from './app.events';

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

export type AppCommand = CreateApp | EnqueueRelease | FinishRelease;
