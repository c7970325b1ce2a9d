import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { IpAssignment } from '@hangar/machines-api';
import { flyBody } from '../http/validation';
import { AssignIpDto } from './dto/assign-ip.dto';
import { IpAssignmentsService } from './ip-assignments.service';

/** `/v1/apps/:app/ip_assignments`: Fly's IP assignments API (fly-go `GetIPAssignments`, `AssignIP`, `DeleteIPAssignment`). */
@Controller('v1/apps/:app/ip_assignments')
export class IpAssignmentsController {
  constructor(private readonly ips: IpAssignmentsService) {}

  @Get()
  list(@Param('app') app: string): Promise<{ ips: IpAssignment[] }> {
    return this.ips.list(app);
  }

  @Post()
  @HttpCode(200)
  assign(@Param('app') app: string, @Body(flyBody) body: AssignIpDto): Promise<IpAssignment> {
    return this.ips.assign(app, body);
  }

  @Delete(':ip')
  async remove(@Param('app') app: string, @Param('ip') ip: string): Promise<Record<string, never>> {
    await this.ips.remove(app, ip);
    return {};
  }
}
