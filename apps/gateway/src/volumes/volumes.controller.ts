import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';

/** One volume (machine-updater's `list-volumes` item). */
export interface VolumeView {
  id: string;
  name: string;
  region: string;
  sizeGb: number;
  state: string;
  attachedMachineId?: string;
  createdAt: string;
}

/** Volumes (DESIGN §6.4): region-bound, one machine each. */
@Controller('v1/apps/:app/volumes')
export class VolumesController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  @RequiresScope('app:read')
  async list(@Param('app') app: string): Promise<{ volumes: VolumeView[] }> {
    await this.commands.request('releaser', 'get-app', { app });
    return this.commands.request('machine-updater', 'list-volumes', { app });
  }

  /** Body `{ name, region, sizeGb?, count? }`. */
  @Post()
  @RequiresScope('app:deploy')
  @HttpCode(201)
  async create(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ volumes: VolumeView[] }> {
    await this.commands.request('releaser', 'get-app', { app });
    return this.commands.request('machine-updater', 'create-volume', { ...objectBody(body), app, actor: req.actor }, { timeoutMs: 30000 });
  }
}
