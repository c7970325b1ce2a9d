import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

export class CreateAppDto {
  /** Generated like `dry-pond-1475` when omitted. */
  @IsOptional()
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be 1-63 of [a-z0-9-], starting with a letter' })
  app?: string;

  /** `apps create --machines`: a legacy Machines app (DESIGN §6.7). */
  @IsOptional()
  @IsBoolean()
  machines?: boolean;

  @IsOptional()
  @IsString()
  actor?: string;
}

export class AppNameDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}
