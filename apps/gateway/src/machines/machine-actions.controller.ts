import { Body, Controller, Delete, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { MachineView } from '@hangar/contracts';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { toStatus, type MachineStatus } from './machines.controller';

/** `machine clone` and `machine destroy` (DESIGN §6.3, §7.2). */
@Controller('v1/apps/:app/machines/:id')
export class MachineActionsController {
  constructor(private readonly commands: CommandClient) {}

  /** Body `{ region? }`: the clone keeps the source's config and metadata (managed stays managed). */
  @Post('clone')
  @RequiresScope('app:deploy')
  @HttpCode(201)
  async clone(@Param('app') app: string, @Param('id') id: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ machine: MachineStatus; sourceId: string }> {
    await this.commands.request('releaser', 'get-app', { app });
    const { machine } = await this.commands.request<{ machine: MachineView }>(
      'machine-updater',
      'clone-machine',
      { ...objectBody(body), app, machineId: id, actor: req.actor },
      { timeoutMs: 30000 },
    );
    return { machine: toStatus(machine), sourceId: id };
  }

  /** `?force=true` kills a running machine; without it a running machine is refused. */
  @Delete()
  @RequiresScope('app:deploy')
  async destroy(@Param('app') app: string, @Param('id') id: string, @Query('force') force: string | undefined, @Req() req: AuthenticatedRequest): Promise<unknown> {
    await this.commands.request('releaser', 'get-app', { app });
    return this.commands.request('machine-updater', 'destroy-machine', { app, machineId: id, force: force === 'true' || force === '1', actor: req.actor }, { timeoutMs: 30000 });
  }
}
