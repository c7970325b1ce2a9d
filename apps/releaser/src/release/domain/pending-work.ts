import type { ReleaseState } from './release.state';

/**
 * What a release is waiting for, as its own stream shows it (DESIGN §4: every consumer reconciles
 * its pending work from the store). A lost message, a crash between a service's commit and its ack,
 * or a poison message leaves a release waiting; the reconciler looks at exactly these:
 * - `image`: started, not planned, nothing in flight: the image outcome (or, after a release
 *   command, the plan) is what is missing;
 * - `operations`: requested operations without a recorded outcome;
 * - `none`: nothing (queued, finished, or an older in-process decision is still running).
 */
export type PendingWork = { readonly kind: 'none' } | { readonly kind: 'image' } | { readonly kind: 'operations'; readonly keys: readonly string[] };

export function pendingWork(state: ReleaseState): PendingWork {
  if (state.status !== 'running') return { kind: 'none' };
  const keys = Object.entries(state.ops)
    .filter(([, status]) => status === 'requested')
    .map(([key]) => key);
  if (keys.length > 0) return { kind: 'operations', keys };
  if (!state.plan) return { kind: 'image' };
  return { kind: 'none' };
}
