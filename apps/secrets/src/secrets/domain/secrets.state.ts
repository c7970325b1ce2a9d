import type { SecretsEvent } from './secrets.events';

/** One name in one version: its digest and the version whose ciphertext row holds its value. */
export type SecretEntry = { readonly digest: string; readonly setIn: number; readonly createdAt: string };

/** A whole secrets version: name → entry. Versions are immutable. */
export type VersionMap = Readonly<Record<string, SecretEntry>>;

/** The stream `secrets-<app>` folded. */
export type SecretsState = {
  readonly app: string;
  /** Latest version; 0 before the first change. */
  readonly version: number;
  /** The versions still kept (pruned ones are gone). The latest is always here. */
  readonly versions: Readonly<Record<number, VersionMap>>;
  /** Highest version a non-staged change or `secrets deploy` asked to release. */
  readonly requestedVersion: number;
  /** Highest version a queued release carries. */
  readonly releasedVersion: number;
  readonly lastRelease?: { readonly secretsVersion: number; readonly releaseId: string; readonly releaseVersion: number };
};

export const EMPTY_VERSION: VersionMap = {};

export function initialState(): SecretsState {
  return { app: '', version: 0, versions: {}, requestedVersion: 0, releasedVersion: 0 };
}

export function evolve(state: SecretsState, event: SecretsEvent): SecretsState {
  switch (event.type) {
    case 'SecretsUpdated': {
      const { app, version, set, unset, staged, createdAt } = event.data;
      const next: Record<string, SecretEntry> = { ...(state.versions[state.version] ?? EMPTY_VERSION) };
      for (const name of unset) delete next[name];
      for (const [name, digest] of Object.entries(set)) next[name] = { digest, setIn: version, createdAt };
      return {
        ...state,
        app,
        version,
        versions: { ...state.versions, [version]: next },
        requestedVersion: staged ? state.requestedVersion : Math.max(state.requestedVersion, version),
      };
    }
    case 'SecretsDeployRequested':
      return { ...state, app: event.data.app, requestedVersion: Math.max(state.requestedVersion, event.data.version) };
    case 'SecretsReleased': {
      const { app, version, releaseId, releaseVersion } = event.data;
      if (version <= state.releasedVersion) return state;
      return { ...state, app, releasedVersion: version, lastRelease: { secretsVersion: version, releaseId, releaseVersion } };
    }
    case 'SecretsKeyRotated':
      return { ...state, app: event.data.app };
    case 'SecretsVersionsPruned': {
      const versions: Record<number, VersionMap> = { ...state.versions };
      for (const v of event.data.versions) delete versions[v];
      return { ...state, versions };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** `name@version` of every ciphertext row some kept version still refers to. */
export function liveValueRefs(state: SecretsState): Set<string> {
  const refs = new Set<string>();
  for (const map of Object.values(state.versions)) for (const [name, entry] of Object.entries(map)) refs.add(refKey(name, entry.setIn));
  return refs;
}

export function refKey(name: string, version: number): string {
  return `${name}@${version}`;
}
