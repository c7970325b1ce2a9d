import { IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, Validate, ValidateNested, ArrayMaxSize, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { Type } from 'class-transformer';
import { KILL_SIGNALS, parseDurationMs } from '@hangar/app-config';
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

/** `<ns>.cmd.machine-updater.get-machine` (`GET /v1/apps/:app/machines/:id`) and `start-machine` (`POST …/start`). */
export class GetMachineDto extends MachineRefDto {}

/** Longest kill timeout a stop may ask for: 5 minutes, so a restart answers within the gateway's wait. */
export const MAX_KILL_TIMEOUT_MS = 5 * 60_000;

/** A Go duration string (`"30s"`, `"1m30s"`) of at most 5 minutes. */
@ValidatorConstraint({ name: 'killTimeout' })
class KillTimeoutConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
    return ms !== undefined && ms <= MAX_KILL_TIMEOUT_MS;
  }

  defaultMessage(): string {
    return 'timeout must be a duration like "30s" or "1m30s", at most 5m';
  }
}

/** `<ns>.cmd.machine-updater.stop-machine` and `restart-machine` (`POST …/stop`, `POST …/restart`). */
export class StopMachineDto extends MachineRefDto {
  /** The signal to stop with instead of the machine's `stop_config.signal` (default SIGINT). */
  @IsOptional()
  @IsString()
  @IsIn(KILL_SIGNALS, { message: `signal must be one of ${KILL_SIGNALS.join(', ')}` })
  signal?: string;

  /** How long to wait after the signal before SIGKILL, instead of the machine's `stop_config.timeout`. */
  @IsOptional()
  @Validate(KillTimeoutConstraint)
  timeout?: string;
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
