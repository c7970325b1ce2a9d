import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import type { MachinesApi, Volume } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { toVolumeView, type VolumeView } from './domain/volume-choice';
import { CreateVolumeDto, ListVolumesDto } from './dto/volume.dto';

/** `volumes create|list` through the machines API (DESIGN §6.4); each new volume is a `VolumeCreated` in `volume-<id>`. */
@Controller()
export class VolumesHandler {
  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'create-volume'))
  async create(@Payload() dto: CreateVolumeDto): Promise<{ volumes: VolumeView[] }> {
    const created: Volume[] = [];
    for (let i = 0; i < (dto.count ?? 1); i++) {
      const volume = await this.api.createVolume(dto.app, { name: dto.name, region: dto.region, ...(dto.sizeGb ? { size_gb: dto.sizeGb } : {}) });
      await this.store.append(
        streams.volume(volume.id),
        [{ type: 'VolumeCreated', data: { app: dto.app, volumeId: volume.id, name: volume.name, region: volume.region, sizeGb: volume.size_gb }, metadata: { actor: dto.actor ?? 'anonymous' } }],
        { expectedVersion: 'NO_STREAM' },
      );
      created.push(volume);
    }
    return { volumes: created.map(toVolumeView) };
  }

  @MessagePattern(commandPattern('machine-updater', 'list-volumes'))
  async list(@Payload() dto: ListVolumesDto): Promise<{ volumes: VolumeView[] }> {
    return { volumes: (await listVolumes(this.api, dto.app)).map(toVolumeView) };
  }
}

/** The app's volumes; an app the machines API has never seen has none. */
export async function listVolumes(api: MachinesApi, app: string): Promise<Volume[]> {
  return api.listVolumes(app).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'MACHINE.NOT_FOUND') return [];
    throw error;
  });
}
