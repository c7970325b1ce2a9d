import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

export class ListReleasesDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}

export class GetReleaseDto extends ListReleasesDto {
  @Type(() => Number)
  @IsInt({ message: 'version must be an integer' })
  @Min(1)
  version!: number;
}

export class ReleaseActionDto extends ListReleasesDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'version must be an integer' })
  @Min(1)
  version?: number;

  @IsOptional()
  @IsString()
  actor?: string;

  /** `rollback --restore-secrets`: also use the target release's secrets version. */
  @IsOptional()
  @IsBoolean()
  restoreSecrets?: boolean;
}
