import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import { ErrorCodes, HangarError, seal, secretsSetContext, type SecretsChangeResult, type SecretsListing, type TransportKeyReply } from '@hangar/contracts';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';

/**
 * Secrets (DESIGN §6.6, §7.2): the values of `set` leave the gateway only sealed to the secrets
 * service's transport key, so nothing on the bus sees them; no route ever returns a value.
 */
@Controller('v1')
export class SecretsController {
  constructor(private readonly commands: CommandClient) {}

  @Get('apps/:app/secrets')
  @RequiresScope('app:read')
  list(@Param('app') app: string): Promise<SecretsListing> {
    return this.commands.request('secrets', 'list', { app });
  }

  /** `{ set?: { NAME: value }, unset?: [NAME], stage?: boolean }`: a new secrets version, and a release unless staged. */
  @Post('apps/:app/secrets')
  @RequiresScope('app:deploy')
  async change(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<SecretsChangeResult> {
    const { set, ...rest } = objectBody(body);
    if (set !== undefined && (typeof set !== 'object' || set === null || Array.isArray(set))) {
      throw new HangarError(ErrorCodes.VALIDATION, 'set must be an object of NAME: value', [{ path: 'set', message: 'must be an object' }]);
    }
    const payload: Record<string, unknown> = { ...rest, app, actor: req.actor };
    if (set && Object.keys(set).length > 0) {
      const key = await this.commands.request<TransportKeyReply>('secrets', 'transport-key', {});
      payload.sealedSet = seal(JSON.stringify(set), key.publicKey, secretsSetContext(app), key.kid);
    }
    return this.commands.request('secrets', 'set', payload, { timeoutMs: 30000 });
  }

  @Post('apps/:app/secrets/deploy')
  @HttpCode(202)
  @RequiresScope('app:deploy')
  deploy(@Param('app') app: string, @Req() req: AuthenticatedRequest): Promise<SecretsChangeResult> {
    return this.commands.request('secrets', 'deploy', { app, actor: req.actor }, { timeoutMs: 30000 });
  }

  /** Re-wraps every data key under `HANGAR_SECRETS_KEY` (admin only); no value changes, no release. */
  @Post('secrets/rotate-key')
  @RequiresScope('admin')
  rotateKey(@Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.commands.request('secrets', 'rotate-key', { actor: req.actor }, { timeoutMs: 60000 });
  }
}
