import { Injectable } from '@nestjs/common';
import { createSealingKeyPair, openSealed, receiverSecretContext, type RegistrySource, type SealedBox, type SealingKeyPair } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';

/** What a delivery to a receiver is checked against. */
export interface ReceiverCredentials {
  readonly id: string;
  readonly source: RegistrySource;
  readonly secret: string;
}

/** The port the webhook ingress looks receivers up through. */
export abstract class ReceiverDirectory {
  abstract credentials(receiverId: string): Promise<ReceiverCredentials>;
}

/**
 * Receivers as builder and the secrets service know them: builder says which dialect a live receiver
 * speaks (404 for an unknown or removed one), the secrets service hands over its secret sealed to this
 * gateway's own one-off key, so the secret crosses the bus only encrypted (DESIGN G5).
 */
@Injectable()
export class NatsReceiverDirectory extends ReceiverDirectory {
  private readonly keys: SealingKeyPair = createSealingKeyPair();

  constructor(private readonly commands: CommandClient) {
    super();
  }

  async credentials(receiverId: string): Promise<ReceiverCredentials> {
    const { receiver } = await this.commands.request<{ receiver: { id: string; source: RegistrySource } }>('builder', 'get-receiver', { receiverId });
    const { sealed } = await this.commands.request<{ sealed: SealedBox }>('secrets', 'receiver-secret', { receiverId, recipientPublicKey: this.keys.publicKey });
    return { id: receiver.id, source: receiver.source, secret: openSealed(sealed, this.keys, receiverSecretContext(receiverId)) };
  }
}
