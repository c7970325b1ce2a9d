import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern } from '@hangar/contracts';
import type { IpAssignment, MachinesApi } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { AssignProviderIpDto, ProviderAppDto, ReleaseProviderIpDto } from './dto/provider.dto';

/** An address as `hangar ips` shows it (the same shape as a pool address, plus the provider's region). */
export interface ProviderIpView {
  address: string;
  type: 'v4' | 'v6';
  shared: boolean;
  allocatedAt: string;
  region?: string;
}

/**
 * `ips` with `HANGAR_MACHINES_PROVIDER=fly` (issue 14 point 13): Fly's IP assignments API
 * (fly-go `flaps_ip_assignments.go`, what `fly deploy` uses on a first deploy) instead of local pools.
 * Releaser records each change in `app-<name>`; nothing here appends.
 */
@Controller()
export class ProviderIpsHandler {
  constructor(@Inject(MACHINES_API) private readonly api: MachinesApi) {}

  @MessagePattern(commandPattern('machine-updater', 'list-provider-ips'))
  async list(@Payload() dto: ProviderAppDto): Promise<{ ips: ProviderIpView[] }> {
    return { ips: (await this.api.listIpAssignments(dto.app)).map(toView) };
  }

  @MessagePattern(commandPattern('machine-updater', 'assign-provider-ip'))
  async assign(@Payload() dto: AssignProviderIpDto): Promise<{ ip: ProviderIpView }> {
    const type = dto.type === 'v6' ? 'v6' : dto.shared ? 'shared_v4' : 'v4';
    return { ip: toView(await this.api.assignIp(dto.app, { type })) };
  }

  @MessagePattern(commandPattern('machine-updater', 'release-provider-ip'))
  async release(@Payload() dto: ReleaseProviderIpDto): Promise<{ released: { app: string; address: string } }> {
    await this.api.deleteIpAssignment(dto.app, dto.address);
    return { released: { app: dto.app, address: dto.address } };
  }
}

function toView(ip: IpAssignment): ProviderIpView {
  return {
    address: ip.ip,
    type: ip.ip.includes(':') ? 'v6' : 'v4',
    shared: ip.shared === true,
    allocatedAt: ip.created_at,
    ...(ip.region ? { region: ip.region } : {}),
  };
}
