import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, Min } from 'class-validator';
import type { LaunchMachineInput, MachineConfig } from '@hangar/machines-api';

/** Body of create and update (`LaunchMachineInput`); `config` is checked by `assertValidConfig`. */
export class LaunchMachineDto implements LaunchMachineInput {
  @IsObject()
  config!: MachineConfig;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/)
  region?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsBoolean()
  skip_launch?: boolean;

  /** Create only: the machine is not registered with the proxy (born cordoned) until uncordoned. */
  @IsOptional()
  @IsBoolean()
  skip_service_registration?: boolean;

  /** Seconds; the create answers with the lease `nonce`. */
  @IsOptional()
  @IsInt()
  @Min(1)
  lease_ttl?: number;
}
