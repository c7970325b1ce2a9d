import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, seal, secretValuesContext, type SecretValuesReply, type TransportKeyReply } from '@hangar/contracts';
import { GetSecretValuesDto, RotateKeyDto } from './dto/secrets.dto';
import { KeyRotation, type RotationResult } from './key-rotation.service';
import { SecretValues } from './secret-values.service';

/**
 * The internal commands: `get-values` (machine-updater, at apply time; the reply is sealed to the
 * requester's one-off key), `transport-key` (what senders seal `set` values to) and `rotate-key`.
 */
@Controller()
export class SecretDeliveryHandler {
  constructor(
    private readonly values: SecretValues,
    private readonly rotation: KeyRotation,
  ) {}

  @MessagePattern(commandPattern('secrets', 'get-values'))
  async getValues(@Payload() dto: GetSecretValuesDto): Promise<SecretValuesReply> {
    const values = await this.values.valuesOf(dto.app, dto.version);
    return { app: dto.app, version: dto.version, sealed: seal(JSON.stringify(values), dto.recipientPublicKey, secretValuesContext(dto.app, dto.version)) };
  }

  @MessagePattern(commandPattern('secrets', 'transport-key'))
  transportKey(): TransportKeyReply {
    return this.values.transportKey();
  }

  @MessagePattern(commandPattern('secrets', 'rotate-key'))
  rotateKey(@Payload() dto: RotateKeyDto): Promise<RotationResult> {
    return this.rotation.rotate(dto.actor ?? 'anonymous');
  }
}
