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
  Volume,
} from './machine.types';
export type { MachinesApi } from './machines-api';
