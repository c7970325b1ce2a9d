type StreamEvent = { readonly type: string; readonly data: Readonly<Record<string, unknown>> };

/** The release holding an app's deploy lock (DESIGN G4). */
export interface DeployLockHolder {
  releaseId: string;
  version: number;
}

/**
 * Who holds the app's deploy lock, from its `app-<app>` stream: the last `AppLockAcquired` whose
 * release has no `AppLockReleased` after it. The releaser writes both; this only reads the facts.
 */
export function deployLockHolder(events: readonly StreamEvent[]): DeployLockHolder | undefined {
  let holder: DeployLockHolder | undefined;
  for (const e of events) {
    const releaseId = e.data.releaseId;
    if (typeof releaseId !== 'string') continue;
    if (e.type === 'AppLockAcquired') holder = { releaseId, version: Number(e.data.version) };
    else if (e.type === 'AppLockReleased' && holder?.releaseId === releaseId) holder = undefined;
  }
  return holder;
}
