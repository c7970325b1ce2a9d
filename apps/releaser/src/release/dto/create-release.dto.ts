import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsOptional, IsPositive, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { APP_NAME_PATTERN, IMAGE_LABEL_PATTERN, MACHINE_ID_PATTERN } from '@hangar/contracts';

export const STRATEGIES = ['rolling', 'immediate', 'canary', 'bluegreen'] as const;
export const TRIGGERS = ['cli', 'api', 'nats', 'registry', 'secrets', 'rollback'] as const;
const REGION_PATTERN = /^[a-z0-9-]{1,32}$/;
/** Most entries a filter list may have. */
const MAX_FILTER_ENTRIES = 100;

/** A deploy filter: a list of regions (`[a-z0-9-]`) or machine ids (14 hex), each checked with the field's name. */
function FilterList(kind: 'regions' | 'machines'): PropertyDecorator {
  const pattern = kind === 'regions' ? REGION_PATTERN : MACHINE_ID_PATTERN;
  const what = kind === 'regions' ? 'a region (lower-case letters, digits and -)' : 'a machine id (14 lower-case hex characters)';
  return (target, key) => {
    IsOptional()(target, key);
    IsArray({ message: `${String(key)} must be a list` })(target, key);
    ArrayMaxSize(MAX_FILTER_ENTRIES)(target, key);
    Matches(pattern, {
      each: true,
      message: (args) => {
        const bad = Array.isArray(args.value) ? args.value.filter((v: unknown) => typeof v !== 'string' || !pattern.test(v)) : [args.value];
        return `each of ${String(key)} must be ${what}; got ${bad.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
      },
    })(target, key);
  };
}

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

  /** `deploy --process-group(s)`: roll only these groups. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTER_ENTRIES)
  @IsString({ each: true })
  processGroups?: string[];

  /** `deploy -e NAME=VALUE`: merged over `[env]` for this release (names and values are checked in `deploy-request`). */
  @IsOptional()
  @IsObject({ message: 'env must be an object of NAME: value' })
  env?: Record<string, unknown>;

  /** `deploy --image-label`: recorded only (Hangar builds no image to tag yet). */
  @IsOptional()
  @Matches(IMAGE_LABEL_PATTERN, { message: 'imageLabel must be an image tag: letters, digits, _ . -, at most 128, not starting with . or -' })
  imageLabel?: string;

  @IsOptional()
  @IsBoolean()
  skipReleaseCommand?: boolean;

  /** `deploy --update-only`: no machines for process groups that have none. */
  @IsOptional()
  @IsBoolean()
  updateOnly?: boolean;

  /** `deploy --ha=false`: one machine instead of two for a group that has none. */
  @IsOptional()
  @IsBoolean()
  ha?: boolean;

  /** `deploy --lease-timeout`: a duration (`"30s"`) or milliseconds. */
  @IsOptional()
  leaseTimeout?: string | number;

  /** `deploy --regions` / `--only-regions`. */
  @FilterList('regions')
  onlyRegions?: string[];

  @FilterList('regions')
  excludeRegions?: string[];

  @FilterList('machines')
  onlyMachines?: string[];

  @FilterList('machines')
  excludeMachines?: string[];
}
