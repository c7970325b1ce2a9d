import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';

/** An address the app holds (releaser's `list-ips` item). */
export interface IpView {
  address: string;
  type: 'v4' | 'v6';
  shared: boolean;
  allocatedAt: string;
}

/** IP addresses (DESIGN §6.6): allocated and released without a release. */
@Controller('v1/apps/:app/ips')
export class IpsController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  @RequiresScope('app:read')
  list(@Param('app') app: string): Promise<{ ips: IpView[] }> {
    return this.commands.request('releaser', 'list-ips', { app });
  }

  /** Body `{ type: 'v4' | 'v6', shared?: boolean }`. */
  @Post()
  @RequiresScope('app:deploy')
  @HttpCode(201)
  allocate(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ ip: IpView }> {
    return this.commands.request('releaser', 'allocate-ip', { ...objectBody(body), app, actor: req.actor });
  }

  @Delete(':address')
  @RequiresScope('app:deploy')
  release(@Param('app') app: string, @Param('address') address: string, @Req() req: AuthenticatedRequest): Promise<{ released: { app: string; address: string } }> {
    return this.commands.request('releaser', 'release-ip', { app, address, actor: req.actor });
  }
}
