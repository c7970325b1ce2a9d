import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type MachineDetail } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import type { MachinesApi } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { secretNamesOf, toMachineDetail } from './domain/machine-detail';
import { GetMachineDto } from './dto/machine-action.dto';
import { liveMachine } from './machine-lookup';

/** `machine status <id>`: one machine as the Machines API reports it, its env without the app's secret values (DESIGN G5). */
@Controller()
export class MachineStatusHandler {
  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'get-machine'))
  async get(@Payload() dto: GetMachineDto): Promise<{ machine: MachineDetail }> {
    const [machine, secrets] = await Promise.all([liveMachine(this.api, dto.app, dto.machineId, { destroyed: true }), this.store.readStream(streams.secrets(dto.app))]);
    return { machine: toMachineDetail(machine, secretNamesOf(secrets)) };
  }
}
