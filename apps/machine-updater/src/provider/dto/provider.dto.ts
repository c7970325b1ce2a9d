import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

const ORG_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `create-provider-app`: the provider's app for a new Hangar app, in `org`. */
export class CreateProviderAppDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @IsString()
  @Matches(ORG_SLUG, { message: 'org must be an organization slug such as personal or acme-corp' })
  org!: string;
}

/** `inspect-provider-app`: an existing provider app and its machines (`apps import`). */
export class ProviderAppDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}

/** `assign-provider-ip`: `v4` dedicated, `v4` + `shared` the shared IPv4, `v6` dedicated. */
export class AssignProviderIpDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @IsIn(['v4', 'v6'], { message: 'type must be v4 or v6' })
  type!: 'v4' | 'v6';

  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

export class ReleaseProviderIpDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;

  @IsString()
  address!: string;
}
