export { MetadataKeys } from './machine.types';
export type {
  MachineState,
  MachineGuest,
  MachineMount,
  MachinePort,
  MachineCheck,
  MachineService,
  MachineConfig,
  MachineEvent,
  MachineEventRequest,
  MachineExitEvent,
  MachineCheckStatus,
  Machine,
  LaunchMachineInput,
  Lease,
  StopOptions,
  Volume,
  ProviderApp,
  IpAssignment,
  AssignIpInput,
} from './machine.types';
export type { MachinesApi, MachineLogs } from './machines-api';
export { exitCodeOf, exitEventOf, latestExitAfterStart } from './machine-events';
export { HttpMachinesApi, IDEMPOTENCY_METADATA_KEY, LEASE_NONCE_HEADER, MAX_WAIT_SEC } from './http-machines-api';
export type { HttpMachinesApiOptions, MachinesProvider } from './http-machines-api';
export { FlyLogsReader } from './fly-logs-reader';
export type { FlyLogsReaderOptions } from './fly-logs-reader';
export { authorizationHeader } from './auth-scheme';
export { isHostUnreachable, withUsableConfig } from './partial-machine';
export { RateGate, rateKey } from './rate-gate';
export { FleetLogsClient } from './fleet-logs-client';
export type { FleetLogsClientOptions, FleetLogsQuery } from './fleet-logs-client';
export { MachinesApiError, MachinesApiErrorCodes } from './machines-api.error';
export type { MachinesApiErrorCode, MachinesApiErrorDetails } from './machines-api.error';
export { DEFAULT_RETRY, backoffDelay, isRetryable } from './retry-policy';
export type { RetryOptions, RetryClass } from './retry-policy';
