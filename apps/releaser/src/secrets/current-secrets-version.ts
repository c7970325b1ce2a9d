import { streams } from '@hangar/contracts';
import type { EventStore, Tx } from '@hangar/event-store';
import { latestSecretsVersion } from './domain/secrets-release';

/**
 * The app's latest secrets version, read from the secrets service's stream (a read of another
 * service's stream, never a write): every new release carries it, so deploys keep the secrets.
 */
export async function currentSecretsVersion(store: EventStore, app: string, tx?: Tx): Promise<number | undefined> {
  return latestSecretsVersion(await store.readStream(streams.secrets(app), tx ? { tx } : undefined));
}
