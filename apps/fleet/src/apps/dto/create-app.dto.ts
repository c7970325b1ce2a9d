import { IsOptional, IsString } from 'class-validator';

/** Body of `POST /v1/apps`. */
export class CreateAppDto {
  @IsString()
  app_name!: string;

  @IsOptional()
  @IsString()
  org_slug?: string;
}
