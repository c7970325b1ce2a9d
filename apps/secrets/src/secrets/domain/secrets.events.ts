import type {
  SecretsDeployRequestedData,
  SecretsKeyRotatedData,
  SecretsReleasedData,
  SecretsUpdatedData,
  SecretsVersionsPrunedData,
} from '@hangar/contracts';

export type SecretsUpdated = { readonly type: 'SecretsUpdated'; readonly data: SecretsUpdatedData };
export type SecretsDeployRequested = { readonly type: 'SecretsDeployRequested'; readonly data: SecretsDeployRequestedData };
export type SecretsReleased = { readonly type: 'SecretsReleased'; readonly data: SecretsReleasedData };
export type SecretsKeyRotated = { readonly type: 'SecretsKeyRotated'; readonly data: SecretsKeyRotatedData };
export type SecretsVersionsPruned = { readonly type: 'SecretsVersionsPruned'; readonly data: SecretsVersionsPrunedData };

/** Every event of a `secrets-<app>` stream: names, digests and versions, never a value (DESIGN G5). */
export type SecretsEvent = SecretsUpdated | SecretsDeployRequested | SecretsReleased | SecretsKeyRotated | SecretsVersionsPruned;
