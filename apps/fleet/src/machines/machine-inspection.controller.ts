import { Controller, Get, Param, Query } from '@nestjs/common';
import { MachineQueriesService, type TimelineEntry } from './machine-queries.service';

/** Fleet's own admin API (not Fly's): what the data plane saw, for tests to check from its side. */
@Controller('fleet/v1/apps/:app')
export class MachineInspectionController {
  constructor(private readonly machines: MachineQueriesService) {}

  /** Every event of the app's machines (destroyed ones too), oldest first; `?machine_id=` narrows it to one. */
  @Get('timeline')
  async timeline(@Param('app') app: string, @Query('machine_id') machineId?: string): Promise<{ events: TimelineEntry[] }> {
    return { events: await this.machines.timeline(app, machineId || undefined) };
  }

  /** Lines the machine printed, oldest first (the `logs` of an `exit` or `crash-on-start` fault). */
  @Get('machines/:id/logs')
  async logs(@Param('app') app: string, @Param('id') id: string): Promise<{ lines: string[] }> {
    return { lines: await this.machines.logs(app, id) };
  }
}
