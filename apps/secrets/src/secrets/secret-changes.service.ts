import { Inject, Injectable } from '@nestjs/common';
import type { SecretsChangeResult, SecretsListing } from '@hangar/contracts';
import { retryOnConflict, type Tx } from '@hangar/event-store';
import type { DataKey, SecretCrypto } from '../crypto/secret-crypto';
import { SECRET_CRYPTO, SECRETS_SETTINGS, type SecretsSettings } from '../secrets.tokens';
import { AppDirectory } from './app-directory';
import { liveValueRefs, secretsDecider, summarize, type SecretsEvent, type SecretsState } from './domain/secrets.decider';
import { validateChange } from './domain/secret-rules';
import { SecretValuesRepository, type ValueRef } from './secret-values.repository';
import { SecretsStreams } from './secrets-streams';

export interface SecretsChange {
  app: string;
  /** Plaintext values; they only ever leave this method encrypted. */
  set: Record<string, unknown>;
  unset: string[];
  stage: boolean;
  actor: string;
}

/**
 * `secrets set|unset|deploy|list` on the Nest side: validates, asks the decider, encrypts the new
 * values under the app's data key and stores ciphertext rows and events in one transaction.
 */
@Injectable()
export class SecretChanges {
  constructor(
    @Inject(SECRET_CRYPTO) private readonly crypto: SecretCrypto,
    @Inject(SECRETS_SETTINGS) private readonly settings: SecretsSettings,
    private readonly streams: SecretsStreams,
    private readonly repository: SecretValuesRepository,
    private readonly apps: AppDirectory,
  ) {}

  async change(input: SecretsChange): Promise<SecretsChangeResult> {
    validateChange(input.set, input.unset);
    const values = input.set as Record<string, string>;
    const hasRelease = await this.apps.hasRelease(input.app);
    return retryOnConflict(() =>
      this.streams.transaction(async (tx) => {
        const loaded = await this.streams.load(input.app, tx);
        const dataKey = Object.keys(values).length > 0 ? await this.dataKeyFor(tx, input.app) : undefined;
        try {
          const digests = dataKey ? Object.fromEntries(Object.entries(values).map(([name, value]) => [name, this.crypto.digest(dataKey, value)])) : {};
          const events = secretsDecider.decide(
            { type: 'ChangeSecrets', app: input.app, set: digests, unset: input.unset, stage: input.stage, hasRelease, retain: this.settings.retainVersions, now: new Date() },
            loaded.state,
          );
          const updated = events.find((e) => e.type === 'SecretsUpdated');
          if (!updated || updated.type !== 'SecretsUpdated') return unchanged(input.app, loaded.state.version);
          const { version, set, unset, staged } = updated.data;
          if (dataKey) await this.storeValues(tx, input.app, version, Object.keys(set), values, dataKey);
          await this.streams.append(input.app, loaded, events, { actor: input.actor }, tx);
          await this.repository.deleteValues(tx, input.app, droppedRefs(loaded.state, events));
          return changeResult(input.app, version, Object.keys(set), unset, staged, hasRelease);
        } finally {
          dataKey?.key.fill(0);
        }
      }),
    );
  }

  async requestDeploy(app: string, actor: string): Promise<SecretsChangeResult> {
    const hasRelease = await this.apps.hasRelease(app);
    return retryOnConflict(() =>
      this.streams.transaction(async (tx) => {
        const loaded = await this.streams.load(app, tx);
        const events = secretsDecider.decide({ type: 'RequestDeploy', app, hasRelease }, loaded.state);
        await this.streams.append(app, loaded, events, { actor }, tx);
        const version = loaded.state.version;
        return { app, version, changed: false, staged: false, set: [], unset: [], release: 'pending', message: `Releasing secrets version ${version} of ${app}` };
      }),
    );
  }

  async list(app: string): Promise<SecretsListing> {
    await this.apps.hasRelease(app);
    const { state } = await this.streams.load(app);
    return {
      app,
      version: state.version,
      releasedVersion: state.releasedVersion,
      ...(state.lastRelease ? { lastRelease: state.lastRelease } : {}),
      secrets: summarize(state),
    };
  }

  private async storeValues(tx: Tx, app: string, version: number, names: string[], values: Record<string, string>, dataKey: DataKey): Promise<void> {
    if (names.length === 0) return;
    const rows = names.map((name) => ({ name, version, ciphertext: this.crypto.encrypt(dataKey, { app, name, version }, values[name]!) }));
    await this.repository.insertValues(tx, app, rows);
  }

  private async dataKeyFor(tx: Tx, app: string): Promise<DataKey> {
    const stored = await this.repository.dataKey(tx, app);
    if (stored) return this.crypto.unwrap(app, stored);
    const fresh = this.crypto.newDataKey(app);
    const winner = await this.repository.createDataKey(tx, app, fresh.stored);
    if (winner.wrapped.equals(fresh.stored.wrapped)) return fresh.dataKey;
    fresh.dataKey.key.fill(0);
    return this.crypto.unwrap(app, winner);
  }
}

/** Ciphertext rows that a kept version referred to before these events and none does after. */
function droppedRefs(before: SecretsState, events: readonly SecretsEvent[]): ValueRef[] {
  const withUpdate = events.filter((e) => e.type !== 'SecretsVersionsPruned').reduce(secretsDecider.evolve, before);
  const after = events.reduce(secretsDecider.evolve, before);
  const live = liveValueRefs(after);
  return [...liveValueRefs(withUpdate)]
    .filter((ref) => !live.has(ref))
    .map((ref) => {
      const at = ref.lastIndexOf('@');
      return { name: ref.slice(0, at), version: Number(ref.slice(at + 1)) };
    });
}

function unchanged(app: string, version: number): SecretsChangeResult {
  return { app, version, changed: false, staged: false, set: [], unset: [], release: 'none', message: 'No change detected: every secret already has that value' };
}

function changeResult(app: string, version: number, set: string[], unset: string[], staged: boolean, hasRelease: boolean): SecretsChangeResult {
  const release = !hasRelease ? 'first-deployment' : staged ? 'staged' : 'pending';
  const message =
    release === 'first-deployment'
      ? `Secrets are staged for the first deployment of ${app} (version ${version})`
      : release === 'staged'
        ? `Secrets are staged (version ${version}); release them with: hangar secrets deploy -a ${app}`
        : `Secrets are set (version ${version}); releasing them to ${app}`;
  return { app, version, changed: true, staged, set, unset, release, message };
}
