import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { ReceiverView, RegistrySource } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { PublicUrl } from './public-url';

/** A receiver as the API shows it: with the URL to configure in the registry, never with its secret. */
export interface ReceiverListing extends ReceiverView {
  url: string;
}

/** `hangar receivers add|list|remove` (issue 6): one receiver authenticates one registry's webhooks. Admin only. */
@Controller('v1/receivers')
@RequiresScope('admin')
export class ReceiversController {
  constructor(
    private readonly commands: CommandClient,
    @Inject(PublicUrl) private readonly publicUrl: PublicUrl,
  ) {}

  /**
   * `{ source, secret? }` → the receiver and its URL; `secret` only when builder generated it (shown
   * this once: it is never returned again).
   */
  @Post()
  @HttpCode(201)
  async add(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ receiver: { id: string; source: RegistrySource; url: string; secret?: string } }> {
    const added = await this.commands.request<{ receiver: ReceiverView; secret?: string }>('builder', 'add-receiver', { ...objectBody(body), actor: req.actor });
    const { id, source } = added.receiver;
    return { receiver: { id, source, url: this.publicUrl.receiverUrl(id), ...(added.secret ? { secret: added.secret } : {}) } };
  }

  @Get()
  async list(): Promise<{ receivers: ReceiverListing[] }> {
    const { receivers } = await this.commands.request<{ receivers: ReceiverView[] }>('builder', 'list-receivers', {});
    return { receivers: receivers.map((r) => ({ id: r.id, source: r.source, url: this.publicUrl.receiverUrl(r.id), createdAt: r.createdAt, createdBy: r.createdBy })) };
  }

  /** Its URL answers 404 from then on. */
  @Delete(':id')
  remove(@Param('id') receiverId: string, @Req() req: AuthenticatedRequest): Promise<{ receiver: { id: string } }> {
    return this.commands.request('builder', 'remove-receiver', { receiverId, actor: req.actor });
  }
}
