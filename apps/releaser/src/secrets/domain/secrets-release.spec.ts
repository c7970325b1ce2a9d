import { appDecider, type AppState } from '../../app/domain/app.decider';
import { fold, IMAGE, PINNED_IMAGE, appConfig, queued, started } from '../../release/domain/release-test.fixtures';
import { currentSecretNames, latestSecretsVersion, pendingSecretsRelease, secretsReleaseBase, secretsReleaseInput, type SecretsStreamEvent } from './secrets-release';

function app(overrides: Partial<AppState>): AppState {
  return { ...appDecider.initialState(), exists: true, app: 'demo', ...overrides };
}

describe('secrets release', () => {
  describe(currentSecretNames.name, () => {
    it('folds each version’s set and unset names, in order', () => {
      const updated = (set: string[], unset: string[] = []) => ({ type: 'SecretsUpdated', data: { set: Object.fromEntries(set.map((n) => [n, 'digest'])), unset } });
      const names = currentSecretNames([updated(['A', 'B']), { type: 'SecretsReleased', data: { version: 1 } }, updated([], ['A']), updated(['C', 'A']), updated([], ['C'])]);
      expect([...names].sort()).toEqual(['A', 'B']);
      expect(currentSecretNames([]).size).toBe(0);
    });
  });

  describe(latestSecretsVersion.name, () => {
    it('is the highest SecretsUpdated version, whatever else the stream holds', () => {
      const events = [
        { type: 'SecretsUpdated', data: { version: 1 } },
        { type: 'SecretsReleased', data: { version: 1 } },
        { type: 'SecretsUpdated', data: { version: 2 } },
        { type: 'SecretsKeyRotated', data: {} },
      ];
      expect(latestSecretsVersion(events)).toBe(2);
      expect(latestSecretsVersion([])).toBeUndefined();
    });
  });

  describe(secretsReleaseBase.name, () => {
    it('is the last complete release when nothing else is queued', () => {
      expect(secretsReleaseBase(app({ lastComplete: { releaseId: 'r3', version: 3 } }))).toBe('r3');
    });

    it('is the newest running or queued release, so a secret change never reverts a deploy ahead of it', () => {
      expect(secretsReleaseBase(app({ lastComplete: { releaseId: 'r3', version: 3 }, running: { releaseId: 'r4', version: 4 } }))).toBe('r4');
      expect(
        secretsReleaseBase(app({ lastComplete: { releaseId: 'r3', version: 3 }, running: { releaseId: 'r4', version: 4 }, queue: [{ releaseId: 'r5', version: 5 }] })),
      ).toBe('r5');
    });

    it('is none for an app never deployed: the secrets wait for the first deployment', () => {
      expect(secretsReleaseBase(app({}))).toBeUndefined();
    });
  });

  describe(secretsReleaseInput.name, () => {
    const planned = {
      type: 'RolloutPlanned' as const,
      data: { releaseId: 'r', app: 'demo', image: IMAGE, strategy: 'immediate' as const, maxUnavailableCount: 1, entries: [] },
    };

    it("re-deploys the base's pinned image and config with the app's strategy, no release command, the new version", () => {
      const config = appConfig({ deploy: { strategy: 'rolling', maxUnavailable: 2, releaseCommand: 'bin/migrate' } });
      const base = fold([queued({ config, strategy: 'immediate', secretsVersion: 1, waitTimeoutMs: 1234 }), started(), planned]);
      expect(secretsReleaseInput(base, { app: 'demo', secretsVersion: 2, actor: 'alice' })).toEqual({
        app: 'demo',
        config,
        imageRef: PINNED_IMAGE,
        strategy: 'rolling',
        maxUnavailable: 2,
        waitTimeoutMs: 1234,
        trigger: 'secrets',
        actor: 'alice',
        skipReleaseCommand: true,
        secretsVersion: 2,
      });
    });

    it('uses the requested image of a base that is not planned yet', () => {
      const base = fold([queued({ imageRef: 'registry/app:v9' })]);
      expect(secretsReleaseInput(base, { app: 'demo', secretsVersion: 1, actor: 'a' })?.imageRef).toBe('registry/app:v9');
    });

    it('creates nothing when the base already delivers that version or a newer one', () => {
      const base = fold([queued({ secretsVersion: 5 })]);
      expect(secretsReleaseInput(base, { app: 'demo', secretsVersion: 5, actor: 'a' })).toBeUndefined();
      expect(secretsReleaseInput(base, { app: 'demo', secretsVersion: 4, actor: 'a' })).toBeUndefined();
      expect(secretsReleaseInput(base, { app: 'demo', secretsVersion: 6, actor: 'a' })?.secretsVersion).toBe(6);
    });
  });

  describe(pendingSecretsRelease.name, () => {
    const at = (seconds: number) => new Date(Date.UTC(2024, 4, 1, 12, 0, seconds));
    let position = 0;
    const event = (type: string, data: Record<string, unknown>, seconds = 0): SecretsStreamEvent => ({
      type,
      data,
      eventId: `e${++position}`,
      globalPosition: position,
      recordedAt: at(seconds),
      actor: 'alice',
    });

    it('is the newest change that asked for a release, once it is older than the grace period', () => {
      const events = [event('SecretsUpdated', { version: 1, staged: false }), event('SecretsUpdated', { version: 2, staged: true }), event('SecretsDeployRequested', { version: 2 })];
      expect(pendingSecretsRelease('demo', events, at(59), 60_000)).toBeUndefined();
      expect(pendingSecretsRelease('demo', events, at(61), 60_000)).toEqual({ app: 'demo', secretsVersion: 2, actor: 'alice', eventId: events[2]!.eventId, globalPosition: events[2]!.globalPosition });
    });

    it('is nothing when only staged changes exist, or a release already carries the version', () => {
      expect(pendingSecretsRelease('demo', [event('SecretsUpdated', { version: 1, staged: true })], at(90), 1)).toBeUndefined();
      const released = [event('SecretsUpdated', { version: 1, staged: false }), event('SecretsReleased', { version: 1, releaseId: 'r', releaseVersion: 4 })];
      expect(pendingSecretsRelease('demo', released, at(90), 1)).toBeUndefined();
    });
  });
});
