import { RegistryEventTypes } from '@hangar/contracts';
import { appDecider, type AppState } from '../../app/domain/app.decider';
import { appConfig, fold, IMAGE, queued, started } from '../../release/domain/release-test.fixtures';
import { decideRegistryRelease, firedReleases, recordedOutcome, registryReleaseBase, type TriggeredPush } from './registry-release';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const app = (overrides: Partial<AppState> = {}): AppState => ({ ...appDecider.initialState(), exists: true, app: 'demo', ...overrides });
const push = (over: Partial<TriggeredPush> = {}): TriggeredPush => ({
  triggerId: 'T', app: 'demo', pushEventId: 'p1', host: 'ghcr.io', repository: 'acme/web', tag: '1.2.0', digest: DIGEST, pushedAt: '2026-11-26T10:00:00.000Z', actor: 'receiver:R', ...over,
});
const planned = { type: 'RolloutPlanned' as const, data: { releaseId: 'r', app: 'demo', image: IMAGE, strategy: 'rolling' as const, maxUnavailableCount: 1, entries: [] } };

describe(decideRegistryRelease.name, () => {
  const config = appConfig({ deploy: { strategy: 'canary', maxUnavailable: 2, releaseCommand: 'bin/migrate' } });
  const base = fold([queued({ config, waitTimeoutMs: 4321 }), started(), planned]);

  it("releases the base's config with the pushed image pinned to its digest, the app's strategy, the release command kept", () => {
    const decision = decideRegistryRelease(push(), { app: app(), queuedFromTrigger: [], base });
    expect(decision).toEqual({
      kind: 'deploy',
      supersede: [],
      input: { app: 'demo', config, imageRef: `ghcr.io/acme/web:1.2.0@${DIGEST}`, strategy: 'canary', maxUnavailable: 2, waitTimeoutMs: 4321, trigger: 'registry', actor: 'receiver:R' },
    });
  });

  it('supersedes the queued releases of the same trigger', () => {
    const older = fold([queued({ releaseId: 'OLD', version: 5 })]);
    const decision = decideRegistryRelease(push(), { app: app(), queuedFromTrigger: [older], base });
    expect(decision).toMatchObject({ kind: 'deploy', supersede: [older] });
  });

  it('skips a digest the app is already on or about to be on, naming the release', () => {
    expect(decideRegistryRelease(push({ digest: IMAGE.digest }), { app: app(), queuedFromTrigger: [], base })).toEqual({ kind: 'skip', reason: 'digest already deployed (v3, running)' });
    const queuedBase = fold([queued({ imageRef: `ghcr.io/acme/web:1.2.0@${DIGEST}`, version: 7 })]);
    expect(decideRegistryRelease(push(), { app: app(), queuedFromTrigger: [], base: queuedBase })).toEqual({ kind: 'skip', reason: 'digest already deployed (v7, queued)' });
  });

  it('skips for an app that is gone or never deployed, saying what to do', () => {
    expect(decideRegistryRelease(push(), { app: appDecider.initialState(), queuedFromTrigger: [] })).toEqual({ kind: 'skip', reason: "app 'demo' does not exist" });
    expect(decideRegistryRelease(push(), { app: app(), queuedFromTrigger: [] })).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/never been deployed: deploy it once/) });
  });
});

describe(registryReleaseBase.name, () => {
  it('is the newest queued release not being superseded, else the running one, else the last complete', () => {
    const a = app({ lastComplete: { releaseId: 'r3', version: 3 }, running: { releaseId: 'r4', version: 4 }, queue: [{ releaseId: 'r5', version: 5 }, { releaseId: 'r6', version: 6 }] });
    expect(registryReleaseBase(a, new Set())?.releaseId).toBe('r6');
    expect(registryReleaseBase(a, new Set(['r6']))?.releaseId).toBe('r5');
    expect(registryReleaseBase(app({ lastComplete: { releaseId: 'r3', version: 3 }, queue: [{ releaseId: 'r5', version: 5 }] }), new Set(['r5']))?.releaseId).toBe('r3');
  });
});

describe(recordedOutcome.name, () => {
  it('answers a repeated request with what was decided for that push', () => {
    const history = [
      { type: RegistryEventTypes.TriggerSkipped, data: { triggerId: 'T', app: 'demo', pushEventId: 'p0', reason: 'tag policy exact:x rejects y' } },
      { type: RegistryEventTypes.TriggerFired, data: { triggerId: 'T', app: 'demo', pushEventId: 'p1', releaseId: 'R', version: 9, tag: '1' } },
    ];
    expect(recordedOutcome(history, 'p0')).toEqual({ triggerId: 'T', app: 'demo', result: 'skipped', reason: 'tag policy exact:x rejects y' });
    expect(recordedOutcome(history, 'p1')).toEqual({ triggerId: 'T', app: 'demo', result: 'deployed', releaseId: 'R', version: 9 });
    expect(recordedOutcome(history, 'p2')).toBeUndefined();
    expect(firedReleases(history).map((f) => f.releaseId)).toEqual(['R']);
  });
});
