import { RegistryEventTypes, type PushOutcome, type TriggerFiredData, type TriggerSkippedData } from '@hangar/contracts';
import type { AppState } from '../../app/domain/app.decider';
import type { QueuedRelease } from '../../app/domain/app.events';
import type { ReleaseState } from '../../release/domain/release.decider';
import type { CreateReleaseInput } from '../../release/release-queue';

const DEFAULT_MAX_UNAVAILABLE = 0.33;

/** A push one trigger followed, as builder reports it (`registry-release`). */
export interface TriggeredPush {
  readonly triggerId: string;
  readonly app: string;
  readonly pushEventId: string;
  readonly host: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
  readonly pushedAt: string;
  readonly actor: string;
}

/** One event of `trigger-<id>`. */
export type TriggerHistoryEvent = { readonly type: string; readonly data: unknown };

/** What came of `pushEventId` for this trigger, when it was already decided (a repeated request). */
export function recordedOutcome(history: readonly TriggerHistoryEvent[], pushEventId: string): PushOutcome | undefined {
  for (const e of history) {
    const d = e.data as TriggerFiredData | TriggerSkippedData;
    if (d.pushEventId !== pushEventId) continue;
    if (e.type === RegistryEventTypes.TriggerFired) {
      const fired = d as TriggerFiredData;
      return { triggerId: fired.triggerId, app: fired.app, result: 'deployed', releaseId: fired.releaseId, version: fired.version };
    }
    if (e.type === RegistryEventTypes.TriggerSkipped) return { triggerId: d.triggerId, app: d.app, result: 'skipped', reason: (d as TriggerSkippedData).reason };
  }
  return undefined;
}

/** The releases this trigger fired, oldest first. */
export function firedReleases(history: readonly TriggerHistoryEvent[]): TriggerFiredData[] {
  return history.filter((e) => e.type === RegistryEventTypes.TriggerFired).map((e) => e.data as TriggerFiredData);
}

/** The facts a registry release is decided on, loaded in the deciding transaction. */
export interface RegistryReleaseContext {
  readonly app: AppState;
  /** The releases this trigger fired that are still queued: a newer push supersedes them. */
  readonly queuedFromTrigger: readonly ReleaseState[];
  /** The release the app will be on once the queue has run, not counting `queuedFromTrigger`. */
  readonly base?: ReleaseState;
}

export type RegistryReleaseDecision =
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'deploy'; readonly input: CreateReleaseInput; readonly supersede: readonly ReleaseState[] };

/**
 * Which release (if any) `base` becomes after the queue: the newest queued, else the running one,
 * else the last complete, leaving out `excluded` (queued releases about to be superseded).
 */
export function registryReleaseBase(app: AppState, excluded: ReadonlySet<string>): QueuedRelease | undefined {
  const queued = app.queue.filter((r) => !excluded.has(r.releaseId));
  return queued[queued.length - 1] ?? app.running ?? app.lastComplete;
}

/**
 * A push a trigger followed becomes a release (trigger `registry`) of the app's current config with
 * the image pinned to the pushed digest, superseding the trigger's queued older one; or it is
 * skipped with the reason `triggers log` shows.
 */
export function decideRegistryRelease(push: TriggeredPush, ctx: RegistryReleaseContext): RegistryReleaseDecision {
  if (!ctx.app.exists) return { kind: 'skip', reason: `app '${push.app}' does not exist` };
  if (!push.digest) return { kind: 'skip', reason: 'digest unknown' };
  const base = ctx.base;
  if (!base) return { kind: 'skip', reason: `app '${push.app}' has never been deployed: deploy it once (hangar deploy) so its triggers have a config to release` };
  if (digestOf(base) === push.digest) {
    return { kind: 'skip', reason: `digest already deployed (v${base.version}${base.status === 'complete' ? '' : `, ${base.status}`})` };
  }
  const config = base.config;
  const input: CreateReleaseInput = {
    app: push.app,
    config,
    imageRef: `${push.host}/${push.repository}:${push.tag}@${push.digest}`,
    strategy: config.deploy?.strategy ?? 'rolling',
    maxUnavailable: config.deploy?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE,
    waitTimeoutMs: base.waitTimeoutMs,
    trigger: 'registry',
    actor: push.actor,
  };
  return { kind: 'deploy', input, supersede: ctx.queuedFromTrigger };
}

/** The digest a release deploys: resolved, or pinned in its reference. */
function digestOf(release: ReleaseState): string | undefined {
  if (release.image) return release.image.digest;
  const at = release.imageRef.indexOf('@');
  return at < 0 ? undefined : release.imageRef.slice(at + 1);
}
