/** A point in time as the handler's clock gave it; events store it as an ISO-8601 string. */
export type Instant = Date | string;

/** `secrets set` / `secrets unset`: values are already validated and reduced to their digests. */
export type ChangeSecrets = {
  readonly type: 'ChangeSecrets';
  readonly app: string;
  /** name → first 16 hex of sha256(value). */
  readonly set: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
  readonly stage: boolean;
  /** The app has a release (complete, running or queued): otherwise the change waits for the first deploy. */
  readonly hasRelease: boolean;
  /** Versions to keep (`HANGAR_SECRETS_RETAIN_VERSIONS`) besides the released and requested ones. */
  readonly retain: number;
  readonly now: Instant;
};

/** `secrets deploy`: release the staged changes. */
export type RequestDeploy = { readonly type: 'RequestDeploy'; readonly app: string; readonly hasRelease: boolean };

/** A release carrying `secretsVersion` was queued (from the event feed). */
export type RecordRelease = {
  readonly type: 'RecordRelease';
  readonly app: string;
  readonly secretsVersion: number;
  readonly releaseId: string;
  readonly releaseVersion: number;
};

/** The app's data key was re-wrapped under another key-encryption key. */
export type RecordKeyRotation = { readonly type: 'RecordKeyRotation'; readonly app: string; readonly fromKeyId: string; readonly toKeyId: string };

export type SecretsCommand = ChangeSecrets | RequestDeploy | RecordRelease | RecordKeyRotation;
