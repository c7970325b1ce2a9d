import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

/** `<ns>.cmd.releaser.list-ips`. */
export class ListIpsDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}

/** `<ns>.cmd.releaser.allocate-ip`: what `POST /v1/apps/:app/ips` sends. */
export class AllocateIpDto extends ListIpsDto {
  @IsIn(['v4', 'v6'], { message: 'type must be v4 or v6' })
  type!: 'v4' | 'v6';

  /** The pool's one shared IPv4 address instead of a dedicated one. */
  @IsOptional()
  @IsBoolean()
  shared?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}

/** `<ns>.cmd.releaser.release-ip`: what `DELETE /v1/apps/:app/ips/:address` sends. */
export class ReleaseIpDto extends ListIpsDto {
  @IsString()
  @MaxLength(64)
  address!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}
