import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, type SealedBox } from '@hangar/contracts';
import { DeleteReceiverSecretDto, ReceiverSecretDto, StoreReceiverSecretDto } from './dto/receiver-secret.dto';
import { ReceiverSecrets } from './receiver-secrets.service';

/** Receiver secrets' commands; all admin (no `app`): only Hangar's own services send them. */
@Controller()
export class ReceiverSecretsHandler {
  constructor(private readonly secrets: ReceiverSecrets) {}

  @MessagePattern(commandPattern('secrets', 'store-receiver-secret'))
  async store(@Payload() dto: StoreReceiverSecretDto): Promise<{ receiver: { id: string } }> {
    await this.secrets.keep(dto.receiverId, dto.sealedSecret);
    return { receiver: { id: dto.receiverId } };
  }

  @MessagePattern(commandPattern('secrets', 'receiver-secret'))
  async sealed(@Payload() dto: ReceiverSecretDto): Promise<{ receiverId: string; sealed: SealedBox }> {
    return { receiverId: dto.receiverId, sealed: await this.secrets.sealedFor(dto.receiverId, dto.recipientPublicKey) };
  }

  @MessagePattern(commandPattern('secrets', 'delete-receiver-secret'))
  async delete(@Payload() dto: DeleteReceiverSecretDto): Promise<{ receiver: { id: string } }> {
    await this.secrets.delete(dto.receiverId);
    return { receiver: { id: dto.receiverId } };
  }
}
