import { IsOptional, IsString } from 'class-validator';

/**
 * Body of `POST /v1/apps`: the public spec names the app `app_name`, fly-go's `CreateAppRequest`
 * (what flyctl sends) `name`; either is accepted, as Fly.io does.
 */
export class CreateAppDto {
  @IsOptional()
  @IsString()
  app_name?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  org_slug?: string;

  @IsOptional()
  @IsString()
  network?: string;
}
