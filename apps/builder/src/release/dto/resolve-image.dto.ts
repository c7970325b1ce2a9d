import { IsString, Matches } from 'class-validator';

/** `resolve-image`: the releaser asks for the image of a started release it has no outcome for. */
export class ResolveImageDto {
  /** A release id (ULID). */
  @IsString()
  @Matches(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'releaseId must be a release id (ULID)' })
  releaseId!: string;
}
