export {
  NAMESPACE_PATTERN,
  APP_NAME_PATTERN,
  commandSubject,
  commandPattern,
  eventsStreamName,
  eventsSubjectWildcard,
  eventSubject,
  eventTypeSubject,
  durableName,
  fleetIdOf,
  streams,
  streamCategory,
} from './names';
export type { ServiceName } from './names';
export { HangarError, isErrorBody, ErrorCodes } from './errors';
export { parseScope, scopeProblem, grants, canReadApp, describeScope, commandScope, isReadCommand, TOKEN_NAME_PATTERN, RESERVED_PRINCIPAL_NAMES, SCOPE_SHAPES } from './scopes';
export { canonicalImageName, parseRepositoryTarget, targetCovers, REGISTRY_HOST_PATTERN, REPOSITORY_NAME_PATTERN, DOCKER_HUB_HOST } from './repository-target';
export type { PushedImageName, RepositoryTarget } from './repository-target';
export { FIXED_SOURCE_HOSTS, RECEIVER_FORBIDDEN, receiverBindingOf, receiverHost, receiverPushProblem } from './receiver-binding';
export type { ReceiverBinding } from './receiver-binding';
export type { Scope, RequiredScope } from './scopes';
export type { ErrorBody } from './errors';
export { EventTypes } from './events';
export type {
  ReleaseTrigger,
  ReleaseStatus,
  ReleaseStartedData,
  ImageResolvedData,
  ImageResolutionFailedData,
  MachineOperationKind,
  MachineUpdateRequestedData,
  MachineUpdatedData,
  MachineUpdateFailedData,
  AppDestroyedData,
  DestroyedMachineRef,
  DestroyedVolumeRef,
  VolumeDestroyedData,
} from './events';
export { readServiceEnv, EnvConfigError, parseBase64Key, readEventsStreamLimits, optionalToken, readOpsEndpoint } from './service-env';
export type { ServiceEnv, Env, NatsEndpoint, EventsStreamLimits, OpsEndpoint } from './service-env';
export { readMachinesProvider, isOrgSlug, MACHINES_PROVIDERS, FLY_MACHINES_API_URL, FLY_GRAPHQL_URL, FLEET_DEFAULT_ORG } from './machines-provider';
export type { MachinesProvider, MachinesProviderKind } from './machines-provider';
export { jsonBodyProblem, MAX_JSON_DEPTH } from './json-limits';
export { resolveStateCredential, resolveStateKey, resolveMachinesApiToken } from './state-credential';
export type { StateCredentialSource } from './state-credential';
export type { MachineView, MachineDetail, MachinePowerAction, MachineActionRequestedData, MachinePowerChangedData, MachineActionFailedData } from './machine-view';
export { REDACTED, MachinePowerEventTypes, MachinePowerErrorCodes, powerChangedType } from './machine-view';
export type { AppLogLine } from './app-log';
export { MACHINE_ID_PATTERN } from './app-log';
export type { ReleaseSummary, ReleaseOptions } from './release-view';
export { IMAGE_LABEL_PATTERN } from './release-view';
export type { AppSummary, AppTeardownResult, DestroyedApp } from './app-view';
export {
  SECRET_NAME_PATTERN,
  RESERVED_SECRET_PREFIXES,
  MAX_SECRET_VALUE_BYTES,
  SecretsEventTypes,
  secretsSetContext,
  secretValuesContext,
  RECEIVER_SECRET_STORE_CONTEXT,
  receiverSecretContext,
  receiverSecretProblem,
} from './secrets';
export type {
  SecretsUpdatedData,
  SecretsDeployRequestedData,
  SecretsReleasedData,
  SecretsKeyRotatedData,
  SecretsVersionsPrunedData,
  SecretSummary,
  SecretsListing,
  SecretsChangeResult,
  SecretValuesReply,
  TransportKeyReply,
} from './secrets';
export { seal, openSealed, isSealedBox, createSealingKeyPair, sealingKeyPairFromSeed, SEALED_BOX_INVALID } from './sealed-box';
export type { SealedBox, SealingKeyPair } from './sealed-box';
export { REGISTRY_SOURCES, RegistryEventTypes } from './registry';
export type {
  RegistrySource,
  NormalizedPush,
  IgnoredDeliveryItem,
  ReceiverAddedData,
  ReceiverRemovedData,
  TagPolicyText,
  TriggerAddedData,
  TriggerRemovedData,
  ImagePushedData,
  PushEvaluatedData,
  PushOutcome,
  RegistryDeliveryIgnoredData,
  TriggerFiredData,
  TriggerSkippedData,
  ReceiverView,
  TriggerView,
  TriggerLogEntry,
  PushLogEntry,
  RecordedPush,
  RegistryReleaseRequest,
} from './registry';
