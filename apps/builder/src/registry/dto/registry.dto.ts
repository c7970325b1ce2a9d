import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested, ArrayMaxSize } from 'class-validator';
import { APP_NAME_PATTERN, REGISTRY_SOURCES } from '@hangar/contracts';

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** `add-receiver` (gateway): a receiver for one registry's webhooks, its secret sealed to the secrets service. */
export class AddReceiverDto {
  @IsIn(REGISTRY_SOURCES, { message: `source must be one of ${REGISTRY_SOURCES.join(', ')}` })
  source!: (typeof REGISTRY_SOURCES)[number];

  @IsObject({ message: 'sealedSecret must be a sealed box { v, kid, epk, iv, ct }' })
  sealedSecret!: Record<string, unknown>;

  /** Checked with the source by `receiverBindingOf`: required unless the source's host is fixed. */
  @IsOptional()
  @IsString({ message: 'host must be a registry host such as registry.example.com' })
  host?: string;

  @IsOptional()
  @IsString({ message: 'repositoryPrefix must be a repository path such as acme' })
  repositoryPrefix?: string;

  @IsOptional()
  @IsString()
  actor?: string;
}

/** `remove-receiver`, `get-receiver`. */
export class ReceiverIdDto {
  @IsString()
  @Matches(ID, { message: 'receiverId must be a receiver id' })
  receiverId!: string;

  @IsOptional()
  @IsString()
  actor?: string;
}

/** The normalised push (issue 6) as `record-push` takes it from any publisher. */
export class PushDto {
  @IsString()
  @MaxLength(255)
  host!: string;

  @IsString()
  @MaxLength(255)
  repository!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}' })
  tag!: string;

  @IsOptional()
  @IsString()
  @Matches(/^sha256:[0-9a-f]{64}$|^sha512:[0-9a-f]{128}$/, { message: 'digest must be sha256:<64 lower-case hex>' })
  digest?: string;

  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, { message: 'pushedAt must be an ISO-8601 time such as 2026-11-26T10:00:00Z' })
  pushedAt!: string;

  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'source must be 1-40 of [a-z0-9-] (a registry source or the publisher name)' })
  source!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  deliveryId?: string;
}

/** `<ns>.cmd.builder.record-push`. */
export class RecordPushDto extends PushDto {
  @IsOptional()
  @IsString()
  actor?: string;
}

export class IgnoredItemDto {
  @IsString()
  @MaxLength(500)
  reason!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  deliveryId?: string;
}

/** `record-delivery` (gateway, after authenticating and parsing a webhook). */
export class RecordDeliveryDto {
  @IsString()
  @Matches(ID, { message: 'receiverId must be a receiver id' })
  receiverId!: string;

  @IsIn(REGISTRY_SOURCES)
  source!: (typeof REGISTRY_SOURCES)[number];

  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => PushDto)
  pushes!: PushDto[];

  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => IgnoredItemDto)
  ignored!: IgnoredItemDto[];

  @IsOptional()
  @IsString()
  actor?: string;
}

class AppDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be 1-63 of [a-z0-9-], starting with a letter' })
  app!: string;

  @IsOptional()
  @IsString()
  actor?: string;
}

/** `add-trigger`: image and policy are checked by the domain (`parseTriggerImage`, `parseTagPolicy`). */
export class AddTriggerDto extends AppDto {
  @IsString({ message: 'image must be HOST/REPOSITORY' })
  @MaxLength(300)
  image!: string;

  @IsString({ message: 'tagPolicy must be exact:TAG, semver:RANGE or glob:PATTERN' })
  tagPolicy!: string;
}

export class ListTriggersDto extends AppDto {}

export class RemoveTriggerDto extends AppDto {
  @IsString()
  @Matches(ID, { message: 'triggerId must be a trigger id' })
  triggerId!: string;
}

export class TriggerLogDto extends AppDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ListPushesDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  image?: string;

  @IsOptional()
  @IsString()
  actor?: string;
}
