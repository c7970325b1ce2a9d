import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { MachineDetail, MachinePowerAction, MachineView } from '@hangar/contracts';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { toStatus, type MachineStatus } from './machines.controller';

/** Time a start, stop or restart may take: the lease, the Machines API call (a restart waits out a stop of up to 5m) and the records. */
const POWER_TIMEOUT_MS = 7 * 60_000;

/** One machine: `machine status`, `clone`, `destroy`, `start`, `stop`, `restart` (DESIGN §6.3, §7.2). */
@Controller('v1/apps/:app/machines/:id')
export class MachineActionsController {
  constructor(private readonly commands: CommandClient) {}

  /** `machine status`: config (secret values redacted), events and checks, as the Machines API reports them. */
  @Get()
  @RequiresScope('app:read')
  async status(@Param('app') app: string, @Param('id') id: string): Promise<{ machine: MachineDetail }> {
    await this.commands.request('releaser', 'get-app', { app });
    return this.commands.request('machine-updater', 'get-machine', { app, machineId: id });
  }

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

  @Post('start')
  @RequiresScope('app:deploy')
  @HttpCode(200)
  start(@Param('app') app: string, @Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<PowerReply> {
    return this.power('start', app, id, {}, req);
  }

  /** Body `{ signal?, timeout? }`: the stop signal and kill timeout instead of the machine's `stop_config`. */
  @Post('stop')
  @RequiresScope('app:deploy')
  @HttpCode(200)
  stop(@Param('app') app: string, @Param('id') id: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<PowerReply> {
    return this.power('stop', app, id, objectBody(body), req);
  }

  /** Body `{ signal?, timeout? }` as for stop; answers once the machine is booting again. */
  @Post('restart')
  @RequiresScope('app:deploy')
  @HttpCode(200)
  restart(@Param('app') app: string, @Param('id') id: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<PowerReply> {
    return this.power('restart', app, id, objectBody(body), req);
  }

  private async power(action: MachinePowerAction, app: string, id: string, body: Record<string, unknown>, req: AuthenticatedRequest): Promise<PowerReply> {
    await this.commands.request('releaser', 'get-app', { app });
    const { machine, previousState } = await this.commands.request<{ machine: MachineView; previousState: string }>(
      'machine-updater',
      `${action}-machine`,
      { ...body, app, machineId: id, actor: req.actor },
      { timeoutMs: POWER_TIMEOUT_MS },
    );
    return { machine: { ...toStatus(machine), instanceId: machine.instanceId }, previousState };
  }
}

/** What start, stop and restart answer: the machine right after the call, and the state it was in before. */
interface PowerReply {
  machine: MachineStatus & { instanceId: string };
  previousState: string;
}
