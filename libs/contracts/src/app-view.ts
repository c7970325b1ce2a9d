import type { AppDestroyedData } from './events';

/** One app as `GET /v1/apps[/:app]` and `apps list` show it. */
export interface AppSummary {
  name: string;
  platformVersion: 'v2' | 'legacy';
  createdAt: string;
  /** The machines provider's org the app is in (`apps create --org`, `HANGAR_FLY_ORG`); absent for apps created before it was recorded. */
  org?: string;
  /** `apps import`: the highest `fly_release_version` its managed machines had; Hangar's releases continue from the next version. */
  importedVersion?: number;
  /** The last complete release. */
  currentRelease?: { id: string; version: number };
  /** The release holding the app's deploy lock (DESIGN G4). */
  runningRelease?: { id: string; version: number };
  queuedReleases: { id: string; version: number }[];
}

/** What machine-updater's `teardown-app` reports: what it destroyed of a destroyed app just now (empty when it was all gone already). */
export interface AppTeardownResult {
  app: string;
  /** Machine ids destroyed by this call. */
  machines: string[];
  /** Volume ids destroyed by this call. */
  volumes: string[];
}

/** The reply of `<ns>.cmd.releaser.destroy-app` and `DELETE /v1/apps/:app` (`apps destroy --json` prints it as `{ destroyed }`). */
export interface DestroyedApp extends AppDestroyedData {
  /** Addresses given back to their pools. */
  ipsReleased: string[];
  /**
   * `complete`: machine-updater destroyed every machine and volume before answering; `pending`: it did
   * not answer in time, and finishes from the `AppDestroyed` event (its durable consumer).
   */
  teardown: 'complete' | 'pending';
}
