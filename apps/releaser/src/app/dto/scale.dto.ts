import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

export class ScaleDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @Type(() => Number)
  @IsInt({ message: 'count must be an integer' })
  @Min(0)
  @Max(1000)
  count!: number;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_-]{1,63}$/, { message: 'processGroup must be a process group name' })
  processGroup?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'region must be lower-case letters, digits and -' })
  region?: string;

  @IsOptional()
  @IsString()
  actor?: string;
}
