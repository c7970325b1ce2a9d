import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { adminBody } from '../http/validation';
import { CreateFaultDto } from './dto/create-fault.dto';
import { FaultsService, type FaultView } from './faults.service';

/** `/fleet/v1/faults`: fleet's own admin API (not Fly's) for fault injection. */
@Controller('fleet/v1/faults')
export class FaultsController {
  constructor(private readonly faults: FaultsService) {}

  @Post()
  add(@Body(adminBody) body: CreateFaultDto): Promise<{ id: string }> {
    return this.faults.add(body);
  }

  @Get()
  async list(): Promise<{ faults: FaultView[] }> {
    return { faults: await this.faults.list() };
  }

  @Delete()
  async clearAll(): Promise<{ deleted: number }> {
    return { deleted: await this.faults.clear() };
  }

  @Delete(':id')
  async clearOne(@Param('id') id: string): Promise<{ deleted: number }> {
    return { deleted: await this.faults.clear(id) };
  }
}
