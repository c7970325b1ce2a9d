import { Controller, Get, Param } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import type { MachineView, ReleaseSummary } from '@hangar/contracts';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { imageDetails, type MachineImage } from './domain/image-details';
import { scaleGroups, type ScaleGroup } from './domain/scale-groups';

/** Read-only views over an app's machines: `image show` and `scale show` (flyctl's commands of those names). */
@Controller('v1/apps/:app')
export class MachineReportsController {
  constructor(private readonly commands: CommandClient) {}

  /** Per machine: the image it runs, its digest, and the release (and resolved image id) that put it there. */
  @Get('images')
  @RequiresScope('app:read')
  async images(@Param('app') app: string): Promise<{ app: string; images: MachineImage[] }> {
    const { releases } = await this.commands.request<{ releases: ReleaseSummary[] }>('releaser', 'list-releases', { app });
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app });
    return { app, images: imageDetails(machines, releases) };
  }

  /** The managed machines per process group: count, VM size and regions. */
  @Get('scale')
  @RequiresScope('app:read')
  async scale(@Param('app') app: string): Promise<{ app: string; groups: ScaleGroup[]; unmanaged: number }> {
    await this.commands.request('releaser', 'get-app', { app });
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app });
    return { app, ...scaleGroups(machines) };
  }
}
