import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

const ORG_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

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

  /** `apps create --org`: the provider org the app goes in; default `HANGAR_FLY_ORG`, else `personal` on fleet. */
  @IsOptional()
  @IsString()
  @Matches(ORG_SLUG_PATTERN, { message: 'org must be an organization slug such as personal or acme-corp (lowercase letters, digits, -)' })
  org?: string;

  @IsOptional()
  @IsString()
  actor?: string;
}

/** `apps import <app> [--org]`: adopt the machines provider's existing app of that name. */
export class ImportAppDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be 1-63 of [a-z0-9-], starting with a letter' })
  app!: string;

  /** When given, the provider app must be in this org. */
  @IsOptional()
  @IsString()
  @Matches(ORG_SLUG_PATTERN, { message: 'org must be an organization slug such as personal or acme-corp (lowercase letters, digits, -)' })
  org?: string;

  @IsOptional()
  @IsString()
  actor?: string;
}

export class AppNameDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}
