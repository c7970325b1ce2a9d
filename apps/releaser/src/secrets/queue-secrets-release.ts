import { streams } from '@hangar/contracts';
import type { EventStore, Tx } from '@hangar/event-store';
import { appDecider } from '../app/domain/app.decider';
import { loadAggregate } from '../decider-store';
import { releaseDecider } from '../release/domain/release.decider';
import { enqueueRelease } from '../release/release-queue';
import { secretsReleaseBase, secretsReleaseInput, type SecretsReleaseRequest } from './domain/secrets-release';

/**
 * Queues the release (trigger `secrets`) a secret change asks for, inside `tx`: of the app's current
 * image and config, unless that release already delivers the version. An app never deployed gets
 * none: its first deployment carries the secrets. Safe to repeat: a second call finds the first's release.
 */
export async function queueSecretsRelease(store: EventStore, request: SecretsReleaseRequest, tx: Tx, causationId: string): Promise<void> {
  const app = await loadAggregate(store, appDecider, streams.app(request.app), tx);
  const baseId = secretsReleaseBase(app.state);
  if (!baseId) return;
  const base = await loadAggregate(store, releaseDecider, streams.release(baseId), tx);
  const input = secretsReleaseInput(base.state, request);
  if (input) await enqueueRelease(store, input, tx, { actor: request.actor, causationId });
}
