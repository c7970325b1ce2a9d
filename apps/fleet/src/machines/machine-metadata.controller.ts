import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { LEASE_NONCE_HEADER } from '@hangar/machines-api';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import { flyBody } from '../http/validation';
import { MetadataValueDto } from './dto/metadata-value.dto';
import { MachineCommandsService } from './machine-commands.service';
import { MachineQueriesService } from './machine-queries.service';

/** `/v1/apps/:app/machines/:id/metadata`: machine metadata without a new instance. */
@Controller('v1/apps/:app/machines/:id/metadata')
export class MachineMetadataController {
  constructor(
    private readonly commands: MachineCommandsService,
    private readonly queries: MachineQueriesService,
  ) {}

  @Get()
  all(@Param('app') app: string, @Param('id') id: string): Promise<Record<string, string>> {
    return this.queries.metadata(app, id);
  }

  @Get(':key')
  async one(@Param('app') app: string, @Param('id') id: string, @Param('key') key: string): Promise<{ value: string }> {
    const value = (await this.queries.metadata(app, id))[key];
    if (value === undefined) throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} has no metadata key ${key}`);
    return { value };
  }

  @Post(':key')
  @HttpCode(204)
  async set(
    @Param('app') app: string,
    @Param('id') id: string,
    @Param('key') key: string,
    @Body(flyBody) body: MetadataValueDto,
    @Headers(LEASE_NONCE_HEADER) nonce?: string,
  ): Promise<void> {
    await this.commands.setMetadata(app, id, key, body.value, nonce || undefined);
  }

  @Delete(':key')
  @HttpCode(204)
  async remove(@Param('app') app: string, @Param('id') id: string, @Param('key') key: string, @Headers(LEASE_NONCE_HEADER) nonce?: string): Promise<void> {
    await this.commands.setMetadata(app, id, key, undefined, nonce || undefined);
  }
}
