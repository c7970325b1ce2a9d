import type { AppConfig } from '@hangar/app-config';
import type { CreateReleaseInput } from '../../release/release-queue';
import type { AppState } from '../../app/domain/app.decider';
import { pinnedImageRef } from '../../release/domain/machine-config';
import type { ReleaseState } from '../../release/domain/release.decider';

const DEFAULT_MAX_UNAVAILABLE = 0.33;

/** What the secrets stream asks for: release `secretsVersion` of `app`, caused by `actor`. */
export type SecretsReleaseRequest = { readonly app: string; readonly secretsVersion: number; readonly actor: string };

/** The app's latest secrets version from its `secrets-<app>` events; undefined when it never had secrets. */
export function latestSecretsVersion(events: readonly { type: string; data: unknown }[]): number | undefined {
  let latest: number | undefined;
  for (const e of events) {
    const version = e.type === 'SecretsUpdated' ? (e.data as { version?: unknown }).version : undefined;
    if (typeof version === 'number' && (latest === undefined || version > latest)) latest = version;
  }
  return latest;
}

/** The names the app's latest secrets version holds: each `SecretsUpdated` sets and unsets some, in order. */
export function currentSecretNames(events: readonly { type: string; data: unknown }[]): Set<string> {
  const names = new Set<string>();
  for (const e of events) {
    if (e.type !== 'SecretsUpdated') continue;
    const { set, unset } = e.data as { set?: unknown; unset?: unknown };
    if (typeof set === 'object' && set !== null) Object.keys(set).forEach((n) => names.add(n));
    if (Array.isArray(unset)) unset.forEach((n) => names.delete(String(n)));
  }
  return names;
}

/**
 * The release whose image and config a secrets release re-deploys: the one the app will be on when
 * it runs. Normally the last complete release; when releases are running or queued, the newest of
 * them, so a secret change never reverts a deploy queued before it. None: the app was never deployed,
 * and the change waits for the first deployment.
 */
export function secretsReleaseBase(app: AppState): string | undefined {
  return (app.queue[app.queue.length - 1] ?? app.running ?? app.lastComplete)?.releaseId;
}

/**
 * A release (trigger `secrets`) of `base`'s image and config with the new secrets version and the
 * app's strategy; no release command (DESIGN §6.6). Undefined when `base` already delivers that
 * version or a newer one, so no release is needed.
 */
export function secretsReleaseInput(base: ReleaseState, request: SecretsReleaseRequest): CreateReleaseInput | undefined {
  if ((base.secretsVersion ?? 0) >= request.secretsVersion) return undefined;
  const config: AppConfig = base.config;
  return {
    app: request.app,
    config,
    imageRef: base.image ? pinnedImageRef(base.image) : base.imageRef,
    strategy: config.deploy?.strategy ?? 'rolling',
    maxUnavailable: config.deploy?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE,
    waitTimeoutMs: base.waitTimeoutMs,
    trigger: 'secrets',
    actor: request.actor,
    skipReleaseCommand: true,
    secretsVersion: request.secretsVersion,
  };
}

/** One event of a `secrets-<app>` stream, as the reconciler reads it. */
export type SecretsStreamEvent = {
  readonly type: string;
  readonly data: unknown;
  readonly eventId: string;
  readonly globalPosition: number;
  readonly recordedAt: Date;
  readonly actor?: string;
};

/** The newest change that asked for a release, where to look for its release, and who asked. */
export type PendingSecretsRelease = SecretsReleaseRequest & { readonly eventId: string; readonly globalPosition: number };

/**
 * The newest secret change that asked for a release (a non-staged `SecretsUpdated` or a
 * `SecretsDeployRequested`) and is older than `graceMs`, unless a `SecretsReleased` already covers
 * it: what the reconciler checks a release followed, in case its feed message was lost (DESIGN §4).
 */
export function pendingSecretsRelease(app: string, events: readonly SecretsStreamEvent[], now: Date, graceMs: number): PendingSecretsRelease | undefined {
  let pending: SecretsStreamEvent | undefined;
  let released = 0;
  for (const e of events) {
    const d = e.data as { version?: unknown; staged?: unknown };
    if (typeof d.version !== 'number') continue;
    if (e.type === 'SecretsReleased') released = Math.max(released, d.version);
    const asks = (e.type === 'SecretsUpdated' && d.staged === false) || e.type === 'SecretsDeployRequested';
    if (asks && (!pending || d.version >= (pending.data as { version: number }).version)) pending = e;
  }
  if (!pending) return undefined;
  const secretsVersion = (pending.data as { version: number }).version;
  if (secretsVersion <= released || now.getTime() - pending.recordedAt.getTime() < graceMs) return undefined;
  return { app, secretsVersion, actor: pending.actor ?? 'system', eventId: pending.eventId, globalPosition: pending.globalPosition };
}
