import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Min } from 'class-validator';
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
