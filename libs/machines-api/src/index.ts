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
export type { MachinesApi } from './machines-api';
export { HttpMachinesApi, IDEMPOTENCY_METADATA_KEY, LEASE_NONCE_HEADER } from './http-machines-api';
export type { HttpMachinesApiOptions } from './http-machines-api';
export { FleetLogsClient } from './fleet-logs-client';
export type { FleetLogsClientOptions, FleetLogsQuery } from './fleet-logs-client';
export { MachinesApiError, MachinesApiErrorCodes } from './machines-api.error';
export type { MachinesApiErrorCode, MachinesApiErrorDetails } from './machines-api.error';
export { DEFAULT_RETRY, backoffDelay, isRetryable } from './retry-policy';
export type { RetryOptions, RetryClass } from './retry-policy';
