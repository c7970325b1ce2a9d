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
  streams,
  streamCategory,
} from './names';
export type { ServiceName } from './names';
export { HangarError, isErrorBody, ErrorCodes } from './errors';
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
} from './events';
export { readServiceEnv, EnvConfigError } from './service-env';
export type { ServiceEnv, Env } from './service-env';
export type { MachineView } from './machine-view';
export type { ReleaseSummary } from './release-view';
export type { AppSummary } from './app-view';
