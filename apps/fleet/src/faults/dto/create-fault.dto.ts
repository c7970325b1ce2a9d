import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import type { FaultEffect } from '../../machines/domain/sim.types';

export const FAULT_EFFECTS: readonly FaultEffect[] = ['crash-on-start', 'unhealthy', 'slow-start', 'update-error', 'exit', 'exit-nested', 'vanish', 'host-unreachable'];

export class FaultMatchDto {
  @IsOptional()
  @IsString()
  app?: string;

  /** Exact or prefix match on `config.image`. */
  @IsOptional()
  @IsString()
  image?: string;

  @IsOptional()
  @IsString()
  machineId?: string;

  /** `init.cmd` joined by spaces, exactly or followed by more arguments. */
  @IsOptional()
  @IsString()
  command?: string;
}

/** Body of `POST /fleet/v1/faults`. */
export class CreateFaultDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FaultMatchDto)
  match!: FaultMatchDto;

  @IsIn(FAULT_EFFECTS)
  effect!: FaultEffect;

  /** `slow-start`: extra boot time; `exit`: run time before the exit. ms. */
  @IsOptional()
  @IsInt()
  @Min(0)
  delayMs?: number;

  /** How many machines it may hit; unlimited when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  times?: number;

  /** `exit`: the exit code (default 0). */
  @IsOptional()
  @IsInt()
  code?: number;

  /** `exit` / `crash-on-start`: lines the machine prints before exiting (a string is split on newlines). */
  @IsOptional()
  @IsString({ each: true })
  logs?: string[] | string;
}
