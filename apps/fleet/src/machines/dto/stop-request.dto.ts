import { IsIn, IsOptional, IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { KILL_SIGNALS, parseDurationMs } from '@hangar/app-config';

/** A Go duration string (`"30s"`) or a number of seconds, as Fly's `StopRequest.timeout` takes either. */
@ValidatorConstraint({ name: 'stopTimeout' })
export class StopTimeoutConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return stopTimeoutMs(value) !== undefined;
  }

  defaultMessage(): string {
    return 'timeout must be a duration like "30s" or a number of seconds';
  }
}

/** Milliseconds of a `timeout` given as a Go duration or a number of seconds (a query parameter's digits too); undefined when it is neither. */
export function stopTimeoutMs(value: unknown): number | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value) * 1000;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  return typeof value === 'string' ? parseDurationMs(value) : undefined;
}

/** Optional body of `POST …/stop` (Fly's `StopRequest`): overrides the machine's `stop_config` for this stop. */
export class StopRequestDto {
  @IsOptional()
  @IsString()
  @IsIn(KILL_SIGNALS, { message: `signal must be one of ${KILL_SIGNALS.join(', ')}` })
  signal?: string;

  @IsOptional()
  @Validate(StopTimeoutConstraint)
  timeout?: string | number;
}
