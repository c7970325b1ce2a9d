import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Body of `POST /v1/apps/:app/volumes`. */
export class CreateVolumeDto {
  @IsString()
  name!: string;

  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/)
  region!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  size_gb?: number;
}
