import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsOptional, IsPositive, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

export const STRATEGIES = ['rolling', 'immediate', 'canary', 'bluegreen'] as const;
export const TRIGGERS = ['cli', 'api', 'nats', 'registry', 'secrets', 'rollback'] as const;

/** `<ns>.cmd.releaser.create-release` (DESIGN §7.3); what `POST /v1/apps/:app/deploys` sends. */
export class CreateReleaseDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be 1-63 of [a-z0-9-], starting with a letter' })
  app!: string;

  @ValidateIf((o: CreateReleaseDto) => o.config === undefined)
  @IsString({ message: 'configToml or config is required' })
  @MaxLength(1024 * 1024)
  configToml?: string;

  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  image?: string;

  @IsOptional()
  @IsIn(STRATEGIES, { message: `strategy must be one of ${STRATEGIES.join(', ')}` })
  strategy?: (typeof STRATEGIES)[number];

  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { message: 'maxUnavailable must be a number' })
  @IsPositive({ message: 'maxUnavailable must be greater than 0' })
  maxUnavailable?: number;

  /** A duration (`"5m"`, `"30s"`) or milliseconds. */
  @IsOptional()
  waitTimeout?: string | number;

  @IsOptional()
  releaseCommandTimeout?: string | number;

  @IsOptional()
  @IsIn(TRIGGERS)
  trigger?: (typeof TRIGGERS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @IsOptional()
  @IsBoolean()
  migrateToV2?: boolean;

  /** `deploy --yes`: removing `[mounts]` may detach volumes (DESIGN §6.4). */
  @IsOptional()
  @IsBoolean()
  allowVolumeDetach?: boolean;

  /** `deploy --process-group`: roll only these groups. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  processGroups?: string[];
}
