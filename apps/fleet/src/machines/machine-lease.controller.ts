import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { LEASE_NONCE_HEADER } from '@hangar/machines-api';
import { flyBody, intQuery } from '../http/validation';
import { LeaseRequestDto } from './dto/lease-request.dto';
import { LeaseService } from './lease.service';

/** `/v1/apps/:app/machines/:id/lease`: acquire (or refresh with the nonce header), inspect, release. */
@Controller('v1/apps/:app/machines/:id/lease')
export class MachineLeaseController {
  constructor(private readonly leases: LeaseService) {}

  @Post()
  @HttpCode(200)
  acquire(
    @Param('app') app: string,
    @Param('id') id: string,
    @Body(flyBody) body: LeaseRequestDto,
    @Query('ttl') ttl?: string,
    @Headers(LEASE_NONCE_HEADER) nonce?: string,
  ) {
    const ttlSec = intQuery('ttl', ttl, 1, 86_400) ?? body.ttl;
    return this.leases.acquire(app, id, { ttlSec, description: body.description, nonce: nonce || undefined });
  }

  @Get()
  get(@Param('app') app: string, @Param('id') id: string) {
    return this.leases.get(app, id);
  }

  @Delete()
  async release(@Param('app') app: string, @Param('id') id: string, @Headers(LEASE_NONCE_HEADER) nonce?: string): Promise<{ status: 'success' }> {
    await this.leases.release(app, id, nonce || undefined);
    return { status: 'success' };
  }
}
