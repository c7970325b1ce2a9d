import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, ErrorCodes, HangarError, secretsSetContext, type SecretsChangeResult, type SecretsListing } from '@hangar/contracts';
import { AppSecretsDto, SetSecretsDto, UnsetSecretsDto } from './dto/secrets.dto';
import { SecretChanges } from './secret-changes.service';
import { SecretValues } from './secret-values.service';

/** `<ns>.cmd.secrets.set|unset|list|deploy` (DESIGN §7.3). */
@Controller()
export class SecretsHandler {
  constructor(
    private readonly changes: SecretChanges,
    private readonly values: SecretValues,
  ) {}

  @MessagePattern(commandPattern('secrets', 'set'))
  set(@Payload() dto: SetSecretsDto): Promise<SecretsChangeResult> {
    if (dto.set !== undefined && dto.sealedSet !== undefined) throw new HangarError(ErrorCodes.VALIDATION, 'give set or sealedSet, not both', [{ path: 'sealedSet', message: 'not with set' }]);
    const set = dto.sealedSet === undefined ? (dto.set ?? {}) : this.unseal(dto.app, dto.sealedSet);
    return this.changes.change({ app: dto.app, set, unset: dto.unset ?? [], stage: dto.stage ?? false, actor: dto.actor ?? 'anonymous' });
  }

  @MessagePattern(commandPattern('secrets', 'unset'))
  unset(@Payload() dto: UnsetSecretsDto): Promise<SecretsChangeResult> {
    return this.changes.change({ app: dto.app, set: {}, unset: dto.names, stage: dto.stage ?? false, actor: dto.actor ?? 'anonymous' });
  }

  @MessagePattern(commandPattern('secrets', 'list'))
  list(@Payload() dto: AppSecretsDto): Promise<SecretsListing> {
    return this.changes.list(dto.app);
  }

  @MessagePattern(commandPattern('secrets', 'deploy'))
  deploy(@Payload() dto: AppSecretsDto): Promise<SecretsChangeResult> {
    return this.changes.requestDeploy(dto.app, dto.actor ?? 'anonymous');
  }

  private unseal(app: string, box: unknown): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.values.open(box, secretsSetContext(app)));
    } catch (error) {
      if (error instanceof HangarError) throw error;
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new HangarError(ErrorCodes.VALIDATION, 'sealedSet must hold a JSON object of NAME: value', [{ path: 'sealedSet', message: 'must hold a JSON object' }]);
    }
    return parsed as Record<string, unknown>;
  }
}
