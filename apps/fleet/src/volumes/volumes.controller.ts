import { Inject } from '@nestjs/common';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { assertKnownRegion } from '../machines/machine-commands.service';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Volume } from '@hangar/machines-api';
import { flyBody } from '../http/validation';
import { CreateVolumeDto } from './dto/create-volume.dto';
import { VolumesService } from './volumes.service';

/** `/v1/apps/:app/volumes`. */
@Controller('v1/apps/:app/volumes')
export class VolumesController {
  constructor(
    private readonly volumes: VolumesService,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
  ) {}

  @Get()
  list(@Param('app') app: string): Promise<Volume[]> {
    return this.volumes.list(app);
  }

  @Post()
  @HttpCode(200)
  create(@Param('app') app: string, @Body(flyBody) body: CreateVolumeDto): Promise<Volume> {
    assertKnownRegion(this.config.regions, body.region);
    return this.volumes.create(app, body);
  }

  /** Fly's `Volume_delete`: 200 with the volume, now `destroyed`. */
  @Delete(':id')
  destroy(@Param('app') app: string, @Param('id') id: string): Promise<Volume> {
    return this.volumes.destroy(app, id);
  }
}
