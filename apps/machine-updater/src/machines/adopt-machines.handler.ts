import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { MetadataKeys, type MachinesApi } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { isLive } from './domain/machine-view';
import { AdoptMachinesDto } from './dto/machine-action.dto';

/** As the executor's: long enough for two metadata writes. */
const LEASE_TTL_SEC = 13;

/**
 * Writes v2 metadata on a legacy app's machines (DESIGN §6.7): `MachineAdopted` is recorded in each
 * machine's stream first (write-ahead), then `fly_platform_version` and `fly_process_group` are set
 * under a lease. Idempotent: a machine already carrying both values is left alone.
 */
@Controller()
export class AdoptMachinesHandler {
  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'adopt-machines'))
  async adopt(@Payload() dto: AdoptMachinesDto): Promise<{ adopted: string[] }> {
    const adopted: string[] = [];
    for (const { machineId, processGroup } of dto.machines) {
      const machine = await this.api.get(dto.app, machineId);
      if (!isLive(machine)) continue;
      const metadata = machine.config.metadata ?? {};
      if (metadata[MetadataKeys.platformVersion] === 'v2' && metadata[MetadataKeys.processGroup] === processGroup) continue;
      await this.store.append(
        streams.machine(machineId),
        [{ type: 'MachineAdopted', data: { app: dto.app, machineId, processGroup }, metadata: { actor: dto.actor ?? 'anonymous' } }],
        { expectedVersion: 'ANY' },
      );
      const lease = await this.api.acquireLease(dto.app, machineId, LEASE_TTL_SEC, 'hangar migrate to Apps V2');
      try {
        await this.api.setMetadata(dto.app, machineId, MetadataKeys.processGroup, processGroup, lease.nonce);
        await this.api.setMetadata(dto.app, machineId, MetadataKeys.platformVersion, 'v2', lease.nonce);
      } finally {
        await this.api.releaseLease(dto.app, machineId, lease.nonce).catch(() => undefined);
      }
      adopted.push(machineId);
    }
    return { adopted };
  }
}
