import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { APP_NAME_PATTERN, type RegistryReleaseRequest } from '@hangar/contracts';

/** `registry-release` (admin; builder only): a push one trigger followed, to deploy or to record as skipped. */
export class RegistryReleaseDto implements RegistryReleaseRequest {
  @IsString()
  @Matches(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'triggerId must be a trigger id' })
  triggerId!: string;

  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be 1-63 of [a-z0-9-], starting with a letter' })
  app!: string;

  @IsString()
  @MaxLength(200)
  tagPolicy!: string;

  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'pushEventId must be an event id' })
  pushEventId!: string;

  @IsString()
  @MaxLength(255)
  host!: string;

  @IsString()
  @MaxLength(255)
  repository!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
  tag!: string;

  @IsOptional()
  @IsString()
  @Matches(/^sha256:[0-9a-f]{64}$|^sha512:[0-9a-f]{128}$/, { message: 'digest must be sha256:<64 lower-case hex>' })
  digest?: string;

  @IsString()
  pushedAt!: string;

  @IsString()
  @MaxLength(40)
  source!: string;

  @IsString()
  @MaxLength(200)
  actor!: string;

  /** Builder already knows the push does not deploy (tag policy, another host, out of order…): the reason. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  skip?: string;
}
