import { IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateNested, ArrayMaxSize } from 'class-validator';
import { Type } from 'class-transformer';
import { APP_NAME_PATTERN } from '@hangar/contracts';

const MACHINE_ID = /^[0-9a-f]{14}$/;

class MachineRefDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @IsString()
  @Matches(MACHINE_ID, { message: 'machineId must be 14 lower-case hex characters' })
  machineId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}

/** `<ns>.cmd.machine-updater.clone-machine`: what `POST /v1/apps/:app/machines/:id/clone` sends. */
export class CloneMachineDto extends MachineRefDto {
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'region must be lower-case letters, digits and -' })
  region?: string;
}

/** `<ns>.cmd.machine-updater.destroy-machine`: what `DELETE /v1/apps/:app/machines/:id` sends. */
export class DestroyMachineDto extends MachineRefDto {
  /** Kill a running machine instead of refusing. */
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class AdoptionEntryDto {
  @IsString()
  @Matches(MACHINE_ID, { message: 'machineId must be 14 lower-case hex characters' })
  machineId!: string;

  @IsString()
  @Matches(/^[a-z0-9_-]{1,63}$/, { message: 'processGroup must be a process group name' })
  processGroup!: string;
}

/** `<ns>.cmd.machine-updater.adopt-machines`: releaser's legacy-app migration (DESIGN §6.7). */
export class AdoptMachinesDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => AdoptionEntryDto)
  machines!: AdoptionEntryDto[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}
