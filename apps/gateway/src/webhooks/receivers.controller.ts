import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ErrorCodes, HangarError, RECEIVER_SECRET_STORE_CONTEXT, receiverSecretProblem, seal, type ReceiverView, type RegistrySource, type TransportKeyReply } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { PublicUrl } from './public-url';
import { ReceiverCache } from './receiver-cache';

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
    private readonly cache: ReceiverCache,
  ) {}

  /**
   * `{ source, host?, repositoryPrefix?, secret? }` → the receiver and its URL (builder checks the
   * host: required but for fixed-host sources, review H4); `secret` only when generated here (shown this
   * once: it is never returned again). The secret leaves the gateway only sealed to the secrets
   * service, which keeps it encrypted; builder records the receiver without ever seeing it.
   */
  @Post()
  @HttpCode(201)
  async add(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ receiver: Omit<ReceiverListing, 'createdAt' | 'createdBy'> & { secret?: string } }> {
    const { secret: given, ...rest } = objectBody(body);
    if (given !== undefined) {
      const problem = receiverSecretProblem(given);
      if (problem) throw new HangarError(ErrorCodes.VALIDATION, problem, [{ path: 'secret', message: problem }]);
    }
    const secret = (given as string | undefined) ?? randomBytes(32).toString('base64url');
    const key = await this.commands.request<TransportKeyReply>('secrets', 'transport-key', {});
    const sealedSecret = seal(secret, key.publicKey, RECEIVER_SECRET_STORE_CONTEXT, key.kid);
    const added = await this.commands.request<{ receiver: ReceiverView }>('builder', 'add-receiver', { ...rest, sealedSecret, actor: req.actor }, { timeoutMs: 20_000 });
    const { id, source, host, repositoryPrefix } = added.receiver;
    this.cache.forget(id);
    const binding = { ...(host !== undefined ? { host } : {}), ...(repositoryPrefix !== undefined ? { repositoryPrefix } : {}) };
    return { receiver: { id, source, ...binding, url: this.publicUrl.receiverUrl(id), ...(given === undefined ? { secret } : {}) } };
  }

  @Get()
  async list(): Promise<{ receivers: ReceiverListing[] }> {
    const { receivers } = await this.commands.request<{ receivers: ReceiverView[] }>('builder', 'list-receivers', {});
    return { receivers: receivers.map((r) => ({ ...r, url: this.publicUrl.receiverUrl(r.id) })) };
  }

  /** Its URL answers 404 from then on (through another gateway: once its `ReceiverCache` entry expired, within 30 s). */
  @Delete(':id')
  async remove(@Param('id') receiverId: string, @Req() req: AuthenticatedRequest): Promise<{ receiver: { id: string } }> {
    try {
      return await this.commands.request('builder', 'remove-receiver', { receiverId, actor: req.actor });
    } finally {
      this.cache.forget(receiverId);
    }
  }
}
