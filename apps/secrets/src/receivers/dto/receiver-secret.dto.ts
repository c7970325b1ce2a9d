import { IsObject, IsString, Matches } from 'class-validator';

const RECEIVER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** `<ns>.cmd.secrets.store-receiver-secret` (builder): the secret sealed to the transport key. */
export class StoreReceiverSecretDto {
  @IsString()
  @Matches(RECEIVER_ID, { message: 'receiverId must be a receiver id' })
  receiverId!: string;

  @IsObject({ message: 'sealedSecret must be a sealed box { v, kid, epk, iv, ct }' })
  sealedSecret!: Record<string, unknown>;
}

/** `<ns>.cmd.secrets.receiver-secret` (gateway): the reply is sealed to `recipientPublicKey`. */
export class ReceiverSecretDto {
  @IsString()
  @Matches(RECEIVER_ID, { message: 'receiverId must be a receiver id' })
  receiverId!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'recipientPublicKey must be a base64 X25519 public key (32 bytes)' })
  recipientPublicKey!: string;
}

/** `<ns>.cmd.secrets.delete-receiver-secret` (builder, when a receiver is removed). */
export class DeleteReceiverSecretDto {
  @IsString()
  @Matches(RECEIVER_ID, { message: 'receiverId must be a receiver id' })
  receiverId!: string;
}
