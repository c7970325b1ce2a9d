import { IsString, Matches, MaxLength } from 'class-validator';

/** `reconcile-operation`: the releaser asks about an operation it requested and has no outcome for. */
export class ReconcileOperationDto {
  /** A release id (ULID). */
  @IsString()
  @Matches(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'releaseId must be a release id (ULID)' })
  releaseId!: string;

  /** The operation's idempotency key, as in its `MachineUpdateRequested`. */
  @IsString()
  @MaxLength(200)
  key!: string;
}
