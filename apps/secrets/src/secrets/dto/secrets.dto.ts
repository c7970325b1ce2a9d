import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

const APP_MESSAGE = 'app must be 1-63 of [a-z0-9-], starting with a letter';
const MAX_NAMES = 500;

/** `<ns>.cmd.secrets.list` and `.deploy`. */
export class AppSecretsDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: APP_MESSAGE })
  app!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}

/**
 * `<ns>.cmd.secrets.set`: `set` in plaintext (visible to anything subscribed to the bus) or
 * `sealedSet`, the same JSON object sealed to the service's transport key (`transport-key`), which
 * is what the gateway sends. Names and values are checked after unsealing, by the domain's rules.
 */
export class SetSecretsDto extends AppSecretsDto {
  @IsOptional()
  @IsObject({ message: 'set must be an object of NAME: value' })
  set?: Record<string, unknown>;

  @IsOptional()
  @IsObject({ message: 'sealedSet must be a sealed box { v, kid, epk, iv, ct }' })
  sealedSet?: Record<string, unknown>;

  @IsOptional()
  @IsArray({ message: 'unset must be a list of names' })
  @ArrayMaxSize(MAX_NAMES)
  @IsString({ each: true, message: 'unset must be a list of names' })
  unset?: string[];

  @IsOptional()
  @IsBoolean({ message: 'stage must be true or false' })
  stage?: boolean;
}

/** `<ns>.cmd.secrets.unset`. */
export class UnsetSecretsDto extends AppSecretsDto {
  @IsArray({ message: 'names must be a list of names' })
  @ArrayNotEmpty({ message: 'names must name at least one secret' })
  @ArrayMaxSize(MAX_NAMES)
  @IsString({ each: true, message: 'names must be a list of names' })
  names!: string[];

  @IsOptional()
  @IsBoolean({ message: 'stage must be true or false' })
  stage?: boolean;
}

/** `<ns>.cmd.secrets.get-values`: internal, for machine-updater; the reply is sealed to `recipientPublicKey`. */
export class GetSecretValuesDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: APP_MESSAGE })
  app!: string;

  @Type(() => Number)
  @IsInt({ message: 'version must be a whole number' })
  @Min(1, { message: 'version must be at least 1' })
  version!: number;

  @IsString()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'recipientPublicKey must be a base64 X25519 public key (32 bytes)' })
  recipientPublicKey!: string;
}

/** `<ns>.cmd.secrets.rotate-key`. */
export class RotateKeyDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}
