import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import type { MachinesApi } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { isLive, toMachineView } from './domain/machine-view';
import { listVolumes } from '../volumes/volumes.handler';
import { noVolumeAvailable, pickUnattachedVolume } from '../volumes/domain/volume-choice';
import { ListMachinesDto } from './dto/list-machines.dto';
import { RunMachineDto } from './dto/run-machine.dto';

/** Request-reply commands about an app's machines, answered from the machines API. */
@Controller()
export class MachinesHandler {
  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'list-machines'))
  async list(@Payload() dto: ListMachinesDto): Promise<{ machines: MachineView[] }> {
    const machines = await this.api.list(dto.app).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'MACHINE.NOT_FOUND') return [];
      throw error;
    });
    return { machines: machines.filter(isLive).map(toMachineView).sort((a, b) => a.id.localeCompare(b.id)) };
  }

  /** Creates an unmanaged machine: no `fly_platform_version`, so deploys leave it alone. */
  @MessagePattern(commandPattern('machine-updater', 'run-machine'))
  async run(@Payload() dto: RunMachineDto): Promise<{ machine: MachineView }> {
    // Without `-r` no region is sent and the platform chooses, as `fly machine run` does.
    // A volume fixes the region: the machine goes where the volume it mounts is.
    const mount = dto.mount ? await this.volumeMount(dto.app, dto.mount, dto.region) : undefined;
    const region = dto.region ?? mount?.region;
    const machine = await this.api.create(dto.app, {
      ...(region === undefined ? {} : { region }),
      config: {
        ...(mount ? { mounts: [{ volume: mount.volume, name: mount.name, path: mount.path }] } : {}),
        image: dto.image,
        env: dto.env ?? {},
        ...(dto.cmd?.length ? { init: { cmd: dto.cmd } } : {}),
        metadata: {},
        restart: { policy: 'always' },
      },
    });
    await this.store.append(
      streams.machine(machine.id),
      [{ type: 'MachineCreated', data: { app: dto.app, machineId: machine.id, image: dto.image, managed: false, region: machine.region }, metadata: { actor: dto.actor ?? 'system' } }],
      { expectedVersion: 'ANY' },
    );
    return { machine: toMachineView(machine) };
  }

  private async volumeMount(app: string, mount: { volume: string; path: string }, region: string | undefined): Promise<{ volume: string; name: string; path: string; region: string }> {
    const volume = pickUnattachedVolume(await listVolumes(this.api, app), mount.volume, region);
    if (!volume) throw noVolumeAvailable(mount.volume, region, 'the machine');
    return { volume: volume.id, name: volume.name, path: mount.path, region: volume.region };
  }
}
