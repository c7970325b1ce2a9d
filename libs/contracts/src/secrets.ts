import type { SealedBox } from './sealed-box';

/**
 * Events of the `secrets-<app>` stream (written by the secrets service) and the request/reply shapes
 * of its commands. Names, digests and versions only: a value never appears in any of them (DESIGN G5).
 */

/** Secret names: `[A-Z_][A-Z0-9_]*` (DESIGN §6.6). */
export const SECRET_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;
/** Names starting with these are the platform's and are refused. */
export const RESERVED_SECRET_PREFIXES = ['FLY_', 'HANGAR_'] as const;
/** Largest value, in UTF-8 bytes: 64 KiB. */
export const MAX_SECRET_VALUE_BYTES = 64 * 1024;

/** A new immutable secrets version: `set` maps each changed name to the first 16 hex of sha256(value). */
export interface SecretsUpdatedData {
  app: string;
  version: number;
  set: Record<string, string>;
  unset: string[];
  /** Stored only: no release until `secrets deploy` (or the app's next deploy). */
  staged: boolean;
  createdAt: string;
}

/** `secrets deploy`: release version `version` (the latest) with the current release's image and config. */
export interface SecretsDeployRequestedData {
  app: string;
  version: number;
}

/** A release carrying secrets version `version` was queued (seen on the event feed). */
export interface SecretsReleasedData {
  app: string;
  version: number;
  releaseId: string;
  releaseVersion: number;
}

/** The app's data key is now wrapped by the key-encryption key `toKeyId`; no value changed. */
export interface SecretsKeyRotatedData {
  app: string;
  fromKeyId: string;
  toKeyId: string;
}

/** Versions dropped by the retention setting; their values can no longer be delivered. */
export interface SecretsVersionsPrunedData {
  app: string;
  versions: number[];
}

export const SecretsEventTypes = {
  SecretsUpdated: 'SecretsUpdated',
  SecretsDeployRequested: 'SecretsDeployRequested',
  SecretsReleased: 'SecretsReleased',
  SecretsKeyRotated: 'SecretsKeyRotated',
  SecretsVersionsPruned: 'SecretsVersionsPruned',
} as const;

/** One secret as `secrets list` shows it. `unset`: removed by a staged change, still on the machines. */
export interface SecretSummary {
  name: string;
  digest: string;
  createdAt: string;
  status: 'deployed' | 'staged';
  unset?: boolean;
}

/** The reply of `<ns>.cmd.secrets.list` and `GET /v1/apps/:app/secrets`. */
export interface SecretsListing {
  app: string;
  /** Latest secrets version; 0 when the app never had secrets. */
  version: number;
  /** Highest version a queued release carries (0: none). */
  releasedVersion: number;
  /** The release that carried `releasedVersion`. */
  lastRelease?: { secretsVersion: number; releaseId: string; releaseVersion: number };
  secrets: SecretSummary[];
}

/** What `set`, `unset` and `deploy` answer. `release`: `pending` when a release will follow. */
export interface SecretsChangeResult {
  app: string;
  version: number;
  changed: boolean;
  staged: boolean;
  set: string[];
  unset: string[];
  /** `pending`: a release is being created; `staged`: stored only; `first-deployment`: the app has no release yet. */
  release: 'pending' | 'staged' | 'first-deployment' | 'none';
  message: string;
}

/** Sealed-box context (see `seal`) of the `set` values of a `<ns>.cmd.secrets.set` for `app`. */
export function secretsSetContext(app: string): string {
  return `secrets.set:${app}`;
}

/** Sealed-box context of the `<ns>.cmd.secrets.get-values` reply for one app and version. */
export function secretValuesContext(app: string, version: number): string {
  return `secrets.values:${app}:${version}`;
}

/** Sealed-box context of a receiver secret on its way to the secrets service (`store-receiver-secret`). */
export const RECEIVER_SECRET_STORE_CONTEXT = 'receivers.secret.store';

/** Sealed-box context of the `<ns>.cmd.secrets.receiver-secret` reply for one receiver. */
export function receiverSecretContext(receiverId: string): string {
  return `receivers.secret:${receiverId}`;
}

/** Why `secret` cannot be a registry receiver's secret (16–256 printable ASCII characters, no spaces), or undefined. */
export function receiverSecretProblem(secret: unknown): string | undefined {
  if (typeof secret !== 'string') return 'secret must be a string';
  if (secret.length < 16) return 'secret must be at least 16 characters';
  if (secret.length > 256) return 'secret must be at most 256 characters';
  if (!/^[\x21-\x7e]+$/.test(secret)) return 'secret must be printable ASCII without spaces';
  return undefined;
}

/** The reply of `<ns>.cmd.secrets.get-values`: a JSON object name → value, sealed to the requester. */
export interface SecretValuesReply {
  app: string;
  version: number;
  sealed: SealedBox;
}

/** The reply of `<ns>.cmd.secrets.transport-key`: seal `set` values to `publicKey` and send `kid` along. */
export interface TransportKeyReply {
  kid: string;
  publicKey: string;
}
