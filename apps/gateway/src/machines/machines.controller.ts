import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { MachineView } from '@hangar/contracts';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { parseInstant } from '../audit/audit-query';
import type { MachineAtTime } from './domain/fleet-at';
import { FleetHistory } from './fleet-history.service';

/** `status --json` shape (DESIGN §7.1): the machine view without its full config. */
export type MachineStatus = Omit<MachineView, 'config' | 'instanceId' | 'releaseId'>;

@Controller('v1/apps/:app/machines')
export class MachinesController {
  constructor(
    private readonly commands: CommandClient,
    private readonly history: FleetHistory,
  ) {}

  @Get()
  @RequiresScope('app:read')
  async list(@Param('app') app: string, @Query('at') at?: unknown): Promise<{ app: string; at?: string; machines: MachineStatus[] | MachineAtTime[] }> {
    await this.commands.request('releaser', 'get-app', { app });
    if (at !== undefined) {
      // Point in time (`status --at`): told from the events, not asked of the machines API.
      const instant = parseInstant(at, 'at');
      return { app, at: instant.toISOString(), machines: await this.history.at(app, instant) };
    }
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app });
    return { app, machines: machines.map(toStatus) };
  }

  /** `machine run`: an unmanaged machine. */
  @Post()
  @RequiresScope('app:deploy')
  @HttpCode(201)
  async run(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ machine: MachineStatus }> {
    await this.commands.request('releaser', 'get-app', { app });
    const { machine } = await this.commands.request<{ machine: MachineView }>('machine-updater', 'run-machine', { ...objectBody(body), app, actor: req.actor }, { timeoutMs: 30000 });
    return { machine: toStatus(machine) };
  }
}

export function toStatus(m: MachineView): MachineStatus {
  return {
    id: m.id,
    processGroup: m.processGroup,
    region: m.region,
    state: m.state,
    managed: m.managed,
    ...(m.releaseVersion ? { releaseVersion: m.releaseVersion } : {}),
    image: m.image,
    ...(m.volume ? { volume: m.volume } : {}),
    ...(m.mountPath ? { mountPath: m.mountPath } : {}),
    ...(m.hostStatus ? { hostStatus: m.hostStatus } : {}),
  };
}
