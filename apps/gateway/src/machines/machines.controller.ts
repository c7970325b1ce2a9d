import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { MachineView } from '@hangar/contracts';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { objectBody } from '../http/request-body';

/** `status --json` shape (DESIGN §7.1): the machine view without its full config. */
export type MachineStatus = Omit<MachineView, 'config' | 'instanceId' | 'releaseId'>;

@Controller('v1/apps/:app/machines')
export class MachinesController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  async list(@Param('app') app: string): Promise<{ app: string; machines: MachineStatus[] }> {
    await this.commands.request('releaser', 'get-app', { app });
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app });
    return { app, machines: machines.map(toStatus) };
  }

  /** `machine run`: an unmanaged machine. */
  @Post()
  @HttpCode(201)
  async run(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ machine: MachineStatus }> {
    await this.commands.request('releaser', 'get-app', { app });
    const { machine } = await this.commands.request<{ machine: MachineView }>('machine-updater', 'run-machine', { ...objectBody(body), app, actor: req.actor }, { timeoutMs: 30000 });
    return { machine: toStatus(machine) };
  }
}

function toStatus(m: MachineView): MachineStatus {
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
  };
}
