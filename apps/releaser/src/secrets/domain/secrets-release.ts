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
