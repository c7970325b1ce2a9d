import { HangarError } from '@hangar/contracts';
import type { ChangeSecrets } from './secrets.commands';
import { latest, liveValueRefs, secretsDecider, summarize, versionEntries, type SecretsCommand, type SecretsEvent, type SecretsState } from './secrets.decider';
import { SecretsErrorCodes } from './secret-rules';

const APP = 'demo';
const NOW = '2024-05-01T12:00:00.000Z';

function given(...events: SecretsEvent[]): SecretsState {
  return events.reduce(secretsDecider.evolve, secretsDecider.initialState());
}

function change(overrides: Partial<ChangeSecrets>): ChangeSecrets {
  return { type: 'ChangeSecrets', app: APP, set: {}, unset: [], stage: false, hasRelease: true, retain: 20, now: NOW, ...overrides };
}

function updated(version: number, set: Record<string, string>, unset: string[] = [], staged = false): SecretsEvent {
  return { type: 'SecretsUpdated', data: { app: APP, version, set, unset, staged, createdAt: NOW } };
}

function released(version: number): SecretsEvent {
  return { type: 'SecretsReleased', data: { app: APP, version, releaseId: `r${version}`, releaseVersion: version + 10 } };
}

function codeOf(state: SecretsState, command: SecretsCommand): string | undefined {
  try {
    secretsDecider.decide(command, state);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(HangarError);
    return (error as HangarError).code;
  }
}

describe('secretsDecider', () => {
  describe('ChangeSecrets', () => {
    it('makes version 1 from nothing, names and digests only, released when the app has a release', () => {
      expect(secretsDecider.decide(change({ set: { DB_URL: 'd1' } }), given())).toEqual([updated(1, { DB_URL: 'd1' })]);
    });

    it('stores a change to an app with no release as staged: it waits for the first deployment', () => {
      const [event] = secretsDecider.decide(change({ set: { DB_URL: 'd1' }, hasRelease: false }), given());
      expect(event).toMatchObject({ type: 'SecretsUpdated', data: { staged: true } });
    });

    it('stages on request', () => {
      const [event] = secretsDecider.decide(change({ set: { A: 'd' }, stage: true }), given());
      expect(event).toMatchObject({ data: { staged: true } });
    });

    it('numbers versions one after the other and never changes an old one', () => {
      const state = given(updated(1, { A: 'a1', B: 'b1' }), updated(2, { A: 'a2' }), updated(3, {}, ['B']));
      expect(state.version).toBe(3);
      expect(state.versions[1]).toEqual({ A: { digest: 'a1', setIn: 1, createdAt: NOW }, B: { digest: 'b1', setIn: 1, createdAt: NOW } });
      expect(state.versions[2]).toEqual({ A: { digest: 'a2', setIn: 2, createdAt: NOW }, B: { digest: 'b1', setIn: 1, createdAt: NOW } });
      expect(latest(state)).toEqual({ A: { digest: 'a2', setIn: 2, createdAt: NOW } });
      expect(secretsDecider.decide(change({ set: { C: 'c' } }), state)[0]).toMatchObject({ data: { version: 4 } });
    });

    it('detects no change when every value is the one already set', () => {
      expect(secretsDecider.decide(change({ set: { A: 'a1' } }), given(updated(1, { A: 'a1' })))).toEqual([]);
    });

    it('keeps only the names that change', () => {
      const [event] = secretsDecider.decide(change({ set: { A: 'a1', B: 'b2' } }), given(updated(1, { A: 'a1' })));
      expect(event).toMatchObject({ data: { set: { B: 'b2' } } });
    });

    it('refuses to unset a name that is not set, naming it', () => {
      const state = given(updated(1, { A: 'a1' }));
      expect(codeOf(state, change({ unset: ['NOPE'] }))).toBe(SecretsErrorCodes.NOT_SET);
      try {
        secretsDecider.decide(change({ unset: ['NOPE'] }), state);
      } catch (error) {
        expect((error as HangarError).message).toBe('secret NOPE is not set on app demo');
      }
    });

    it('prunes versions beyond the retention, but never the released or requested one', () => {
      let state = given(updated(1, { A: 'a1' }), released(1), updated(2, { A: 'a2' }, [], true), updated(3, { A: 'a3' }, [], true));
      const events = secretsDecider.decide(change({ set: { A: 'a4' }, stage: true, retain: 2 }), state);
      expect(events.map((e) => e.type)).toEqual(['SecretsUpdated', 'SecretsVersionsPruned']);
      expect(events[1]).toEqual({ type: 'SecretsVersionsPruned', data: { app: APP, versions: [2] } });
      state = events.reduce(secretsDecider.evolve, state);
      expect(Object.keys(state.versions).map(Number)).toEqual([1, 3, 4]);
      expect(liveValueRefs(state)).toEqual(new Set(['A@1', 'A@3', 'A@4']));
    });
  });

  describe('RequestDeploy', () => {
    it('releases the latest version when a staged change waits', () => {
      const state = given(updated(1, { A: 'a' }), released(1), updated(2, { B: 'b' }, [], true));
      expect(secretsDecider.decide({ type: 'RequestDeploy', app: APP, hasRelease: true }, state)).toEqual([
        { type: 'SecretsDeployRequested', data: { app: APP, version: 2 } },
      ]);
    });

    it('refuses when nothing is staged, and for an app with no release', () => {
      const state = given(updated(1, { A: 'a' }), released(1));
      expect(codeOf(state, { type: 'RequestDeploy', app: APP, hasRelease: true })).toBe(SecretsErrorCodes.NOTHING_STAGED);
      expect(codeOf(given(updated(1, { A: 'a' })), { type: 'RequestDeploy', app: APP, hasRelease: true })).toBe(SecretsErrorCodes.NOTHING_STAGED);
      expect(codeOf(given(updated(1, { A: 'a' }, [], true)), { type: 'RequestDeploy', app: APP, hasRelease: false })).toBe(SecretsErrorCodes.NO_RELEASE);
    });
  });

  describe('RecordRelease', () => {
    it('records a newer version once; older or repeated ones change nothing', () => {
      const state = given(updated(1, { A: 'a' }), updated(2, { A: 'b' }));
      const record = (v: number) => ({ type: 'RecordRelease' as const, app: APP, secretsVersion: v, releaseId: `r${v}`, releaseVersion: 5 });
      expect(secretsDecider.decide(record(2), state)).toEqual([{ type: 'SecretsReleased', data: { app: APP, version: 2, releaseId: 'r2', releaseVersion: 5 } }]);
      const after = given(updated(1, { A: 'a' }), updated(2, { A: 'b' }), released(2));
      expect(secretsDecider.decide(record(2), after)).toEqual([]);
      expect(secretsDecider.decide(record(1), after)).toEqual([]);
    });
  });

  describe(summarize.name, () => {
    it('shows deployed and staged names, and a staged unset', () => {
      const state = given(updated(1, { A: 'a1', B: 'b1' }), released(1), updated(2, { C: 'c2' }, ['B'], true));
      expect(summarize(state)).toEqual([
        { name: 'A', digest: 'a1', createdAt: NOW, status: 'deployed' },
        { name: 'B', digest: 'b1', createdAt: NOW, status: 'staged', unset: true },
        { name: 'C', digest: 'c2', createdAt: NOW, status: 'staged' },
      ]);
    });
  });

  describe(versionEntries.name, () => {
    it('gives a kept version, and clear errors for a missing or pruned one', () => {
      const state = given(updated(1, { A: 'a1' }), updated(2, { A: 'a2' }), { type: 'SecretsVersionsPruned', data: { app: APP, versions: [1] } });
      expect(versionEntries(state, APP, 2)).toEqual({ A: { digest: 'a2', setIn: 2, createdAt: NOW } });
      expect(() => versionEntries(state, APP, 1)).toThrow(expect.objectContaining({ code: SecretsErrorCodes.VERSION_PRUNED }));
      expect(() => versionEntries(state, APP, 3)).toThrow(expect.objectContaining({ code: SecretsErrorCodes.VERSION_NOT_FOUND }));
    });
  });
});
