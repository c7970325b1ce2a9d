import type { ReleaseOptions, ReleaseStatus, ReleaseSummary, ReleaseTrigger } from '@hangar/contracts';
import type { StoredEvent } from '@hangar/event-store';

/** Read model of one release stream for `releases` and `releases show` (a projection, not a rule). */
export function summarizeRelease(events: readonly StoredEvent[]): ReleaseSummary {
  const s: ReleaseSummary = {
    id: '',
    app: '',
    version: 0,
    status: 'queued',
    trigger: 'api',
    actor: '',
    image: '',
    strategy: '',
    createdAt: '',
  };
  let total = 0;
  let succeeded = 0;
  let failed = 0;
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case 'ReleaseQueued': {
        Object.assign(s, {
          id: String(d.releaseId),
          app: String(d.app),
          version: Number(d.version),
          trigger: d.trigger as ReleaseTrigger,
          actor: String(d.actor),
          image: String(d.imageRef),
          strategy: String(d.strategy),
          createdAt: e.recordedAt.toISOString(),
        });
        const options = optionsOf(d);
        if (options) s.options = options;
        break;
      }
      case 'ReleaseStarted':
        s.status = 'running';
        break;
      case 'RolloutPlanned': {
        const image = d.image as { canonicalRef: string; digest: string; imageId: string };
        s.image = image.canonicalRef.includes('@') ? image.canonicalRef : `${image.canonicalRef}@${image.digest}`;
        s.imageId = image.imageId;
        total = (d.entries as { action: string }[]).filter((x) => x.action !== 'skip').length;
        if (d.filters) s.filters = d.filters as NonNullable<ReleaseSummary['filters']>;
        break;
      }
      case 'RolloutStepSucceeded':
        succeeded += 1;
        break;
      case 'RolloutStepFailed':
        failed += 1;
        break;
      case 'ReleaseRolledBack':
        s.status = 'rolled_back';
        break;
      case 'ReleaseCompleted':
      case 'ReleaseFailed':
      case 'ReleaseCancelled':
        s.status = (e.type === 'ReleaseCompleted' ? 'complete' : e.type === 'ReleaseFailed' ? 'failed' : 'cancelled') as ReleaseStatus;
        s.finishedAt = e.recordedAt.toISOString();
        if (typeof d.reason === 'string') s.reason = d.reason;
        break;
      default:
        break;
    }
  }
  if (total > 0 || succeeded > 0 || failed > 0) s.machines = { total, succeeded, failed };
  return s;
}

/** `ReleaseQueued` fields → the request's names (`envOverrides` → `env`); undefined when the deploy asked none. */
function optionsOf(d: Record<string, unknown>): ReleaseOptions | undefined {
  const options: Record<string, unknown> = {};
  if (d.envOverrides) options.env = d.envOverrides;
  for (const key of OPTION_FIELDS) if (d[key] !== undefined) options[key] = d[key];
  return Object.keys(options).length > 0 ? (options as ReleaseOptions) : undefined;
}

const OPTION_FIELDS = [
  'imageLabel',
  'skipReleaseCommand',
  'updateOnly',
  'ha',
  'leaseTimeoutMs',
  'onlyRegions',
  'excludeRegions',
  'onlyMachines',
  'excludeMachines',
  'processGroups',
] as const satisfies readonly Exclude<keyof ReleaseOptions, 'env'>[];
