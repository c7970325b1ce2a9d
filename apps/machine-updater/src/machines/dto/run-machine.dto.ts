import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

/** `machine run -v <name>:<path>`: mount an unattached volume of that name in the machine's region. */
export class RunMountDto {
  @IsString()
  @Matches(/^[a-z0-9_]{1,30}$/, { message: 'mount.volume must be a volume name' })
  volume!: string;

  @IsString()
  @Matches(/^\/[^\0]{0,255}$/, { message: 'mount.path must be an absolute path' })
  path!: string;
}

/** `machine run`: an unmanaged machine with its own image and config (DESIGN §6.3). */
export class RunMachineDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @IsString()
  @MaxLength(512)
  image!: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'region must be lower-case letters, digits and -' })
  region?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  cmd?: string[];

  @IsOptional()
  @IsObject()
  env?: Record<string, string>;

  @IsOptional()
  @ValidateNested()
  @Type(() => RunMountDto)
  mount?: RunMountDto;

  @IsOptional()
  @IsString()
  actor?: string;
}
