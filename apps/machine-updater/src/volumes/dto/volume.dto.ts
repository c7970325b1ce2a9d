import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

/** `<ns>.cmd.machine-updater.list-volumes`. */
export class ListVolumesDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}

/** `<ns>.cmd.machine-updater.create-volume`: what `POST /v1/apps/:app/volumes` sends. */
export class CreateVolumeDto extends ListVolumesDto {
  /** Fly's volume names: lower-case letters, digits and underscores, at most 30 (the `[mounts] source`). */
  @IsString()
  @Matches(/^[a-z0-9_]{1,30}$/, { message: 'name must be 1-30 lower-case letters, digits or _' })
  name!: string;

  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'region must be lower-case letters, digits and -' })
  region!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'sizeGb must be a whole number of GB' })
  @Min(1)
  @Max(500)
  sizeGb?: number;

  /** How many volumes of that name to create (one machine each). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'count must be a whole number' })
  @Min(1)
  @Max(50)
  count?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}
