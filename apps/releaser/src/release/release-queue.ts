import { ulid } from 'ulid';
import { ErrorCodes, HangarError, streams, type ReleaseTrigger } from '@hangar/contracts';
import type { EventMetadata, EventStore, Tx } from '@hangar/event-store';
import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import { appDecider } from '../app/domain/app.decider';
import { pinnedImageRef } from './domain/machine-config';
import type { DeployFlags } from './domain/release.events';
import { releaseDecider, type ReleaseState } from './domain/release.decider';
import { evolveAll, loadAggregate, toNewEvents } from '../decider-store';
import { currentSecretsVersion } from '../secrets/current-secrets-version';

export type CreateReleaseInput = DeployFlags & {
  app: string;
  config: AppConfig;
  imageRef: string;
  strategy: DeployStrategy;
  maxUnavailable: number;
  waitTimeoutMs: number;
  trigger: ReleaseTrigger;
  actor: string;
  releaseCommandTimeoutMs?: number | null;
  skipReleaseCommand?: boolean;
  rollbackOf?: { releaseId: string; version: number };
  /** `deploy --yes`: removing `[mounts]` may detach volumes (DESIGN §6.4). */
  allowVolumeDetach?: boolean;
  /** The secrets version to deliver (a secrets release, `--restore-secrets`); default: the app's latest. */
  secretsVersion?: number;
};

export interface ReleaseRef {
  id: string;
  version: number;
  status: 'queued' | 'running';
}

/**
 * Appends a new release to the app's FIFO queue inside `tx`: the next version, `ReleaseQueued`, and
 * `ReleaseStarted` when nothing else holds the app (DESIGN §5 step 1, G4).
 */
export async function enqueueRelease(store: EventStore, input: CreateReleaseInput, tx: Tx, metadata: EventMetadata): Promise<ReleaseRef> {
  const app = await loadAggregate(store, appDecider, streams.app(input.app), tx);
  const releaseId = ulid();
  const meta = { ...metadata, correlationId: releaseId };
  const appEvents = appDecider.decide({ type: 'EnqueueRelease', app: input.app, releaseId, trigger: input.trigger }, app.state);
  const enqueued = appEvents.find((e) => e.type === 'ReleaseEnqueued');
  const version = enqueued && enqueued.type === 'ReleaseEnqueued' ? enqueued.data.version : 0;
  const startsNow = appEvents.some((e) => e.type === 'AppLockAcquired' && e.data.releaseId === releaseId);
  // Every release carries the app's secrets version, so a deploy keeps the secrets (DESIGN §6.6).
  const secretsVersion = input.secretsVersion ?? (await currentSecretsVersion(store, input.app, tx));
  const queued = releaseDecider.decide(
    { type: 'QueueRelease', releaseId, version, ...input, ...(secretsVersion ? { secretsVersion } : {}), now: new Date().toISOString() },
    releaseDecider.initialState(),
  );
  const started = startsNow ? releaseDecider.decide({ type: 'StartRelease' }, evolveAll(releaseDecider, releaseDecider.initialState(), queued)) : [];
  await store.append(streams.app(input.app), toNewEvents(appEvents, meta), { expectedVersion: app.version, tx });
  await store.append(streams.release(releaseId), toNewEvents([...queued, ...started], meta), { expectedVersion: 'NO_STREAM', tx });
  return { id: releaseId, version, status: startsNow ? 'running' : 'queued' };
}

/**
 * A release of `target`'s image (pinned by digest) and config (DESIGN §6.5): machines still on
 * `target` are skipped, no release command runs (migrations are not undone by re-running them).
 */
export function rollbackInput(target: ReleaseState, opts: { actor: string; maxUnavailable?: number; restoreSecrets?: boolean }): CreateReleaseInput {
  if (!target.image) {
    throw new HangarError(ErrorCodes.VALIDATION, `release v${target.version} never resolved an image and cannot be rolled back to`, { version: target.version });
  }
  return {
    app: target.app,
    config: target.config,
    imageRef: pinnedImageRef(target.image),
    strategy: target.strategy === 'bluegreen' || target.strategy === 'canary' ? 'rolling' : target.strategy,
    maxUnavailable: opts.maxUnavailable ?? target.maxUnavailable,
    waitTimeoutMs: target.waitTimeoutMs,
    trigger: 'rollback',
    actor: opts.actor,
    skipReleaseCommand: true,
    rollbackOf: { releaseId: target.releaseId, version: target.version },
    // `--restore-secrets`: vN's secrets version too; otherwise the app's current secrets (DESIGN §6.5).
    ...(opts.restoreSecrets && target.secretsVersion !== undefined ? { secretsVersion: target.secretsVersion } : {}),
  };
}

/** The release id of version `version` of `app`, from the app stream. */
export async function releaseIdOf(store: EventStore, app: string, version: number): Promise<string> {
  const { state } = await loadAggregate(store, appDecider, streams.app(app));
  if (!state.exists) throw new HangarError(ErrorCodes.APP_NOT_FOUND, `app '${app}' not found`, { app });
  const id = Object.entries(state.versions).find(([, v]) => v === version)?.[0];
  if (!id) throw new HangarError(ErrorCodes.RELEASE_NOT_FOUND, `release v${version} of app '${app}' not found`, { app, version });
  return id;
}
