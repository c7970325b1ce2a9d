import { Injectable } from '@nestjs/common';
import { createSealingKeyPair, openSealed, receiverSecretContext, type RegistrySource, type SealedBox, type SealingKeyPair } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';

/** What a delivery to a receiver is checked against: its secret, and which pushes it may report. */
export interface ReceiverCredentials {
  readonly id: string;
  readonly source: RegistrySource;
  /** Absent for a receiver of a self-hosted source added before hosts were recorded: it may report nothing. */
  readonly host?: string;
  readonly repositoryPrefix?: string;
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
    const { receiver } = await this.commands.request<{ receiver: Omit<ReceiverCredentials, 'secret'> }>('builder', 'get-receiver', { receiverId });
    const { sealed } = await this.commands.request<{ sealed: SealedBox }>('secrets', 'receiver-secret', { receiverId, recipientPublicKey: this.keys.publicKey });
    const { id, source, host, repositoryPrefix } = receiver;
    return { id, source, ...(host !== undefined ? { host } : {}), ...(repositoryPrefix !== undefined ? { repositoryPrefix } : {}), secret: openSealed(sealed, this.keys, receiverSecretContext(receiverId)) };
  }
}
