import { Inject, Injectable } from '@nestjs/common';
import { streams } from '@hangar/contracts';
import { EVENT_STORE, type EventMetadata, type EventStore, type Tx } from '@hangar/event-store';
import { secretsDecider, type SecretsEvent, type SecretsState } from './domain/secrets.decider';

export interface LoadedSecrets {
  state: SecretsState;
  /** Expected version of the next append. */
  version: number;
}

/** Loads and appends `secrets-<app>` streams through the secrets decider. */
@Injectable()
export class SecretsStreams {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(app: string, tx?: Tx): Promise<LoadedSecrets> {
    const events = await this.store.readStream(streams.secrets(app), tx ? { tx } : undefined);
    let state = secretsDecider.initialState();
    for (const e of events) state = secretsDecider.evolve(state, { type: e.type, data: e.data } as unknown as SecretsEvent);
    return { state, version: events.length };
  }

  /** Runs `fn` in one store transaction. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.transaction(fn);
  }

  async append(app: string, loaded: LoadedSecrets, events: readonly SecretsEvent[], metadata: EventMetadata, tx: Tx): Promise<void> {
    if (events.length === 0) return;
    await this.store.append(
      streams.secrets(app),
      events.map((e) => ({ type: e.type, data: e.data as unknown as Record<string, unknown>, metadata })),
      { expectedVersion: loaded.version, tx },
    );
  }
}
