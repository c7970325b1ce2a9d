/** One app as `GET /v1/apps[/:app]` and `apps list` show it. */
export interface AppSummary {
  name: string;
  platformVersion: 'v2' | 'legacy';
  createdAt: string;
  /** The last complete release. */
  currentRelease?: { id: string; version: number };
  /** The release holding the app's deploy lock (DESIGN G4). */
  runningRelease?: { id: string; version: number };
  queuedReleases: { id: string; version: number }[];
}
