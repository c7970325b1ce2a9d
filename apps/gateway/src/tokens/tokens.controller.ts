import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { ApiTokenRecord } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { TokenLifecycle } from './token-lifecycle.service';

/** `hangar tokens create|list|revoke`: API tokens with scopes (DESIGN §7.2 "Access"). Admin only. */
@Controller('v1/tokens')
@RequiresScope('admin')
export class TokensController {
  constructor(private readonly tokens: TokenLifecycle) {}

  /**
   * `{ name, scopes: [...], natsKey? }` → the token and its secret, which is shown this once and never
   * stored. `natsKey` binds the token to an outside NATS publisher's nkey: its commands act with these scopes.
   */
  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ token: ApiTokenRecord; secret: string }> {
    const { name, scopes, natsKey } = objectBody(body);
    return this.tokens.create({ name: name as string, scopes: scopes as string[], ...(natsKey !== undefined ? { natsKey: natsKey as string } : {}) }, req.actor ?? 'anonymous');
  }

  @Get()
  async list(): Promise<{ tokens: ApiTokenRecord[] }> {
    return { tokens: await this.tokens.list() };
  }

  @Delete(':name')
  revoke(@Param('name') name: string, @Req() req: AuthenticatedRequest): Promise<{ token: ApiTokenRecord }> {
    return this.tokens.revoke(name, req.actor ?? 'anonymous');
  }
}
