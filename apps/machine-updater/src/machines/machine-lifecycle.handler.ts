import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ulid } from 'ulid';
import { ErrorCodes, HangarError, commandPattern, streams, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { isHostUnreachable, type Machine, type MachinesApi, type Volume } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { listVolumes } from '../volumes/volumes.handler';
import { noVolumeAvailable, pickUnattachedVolume } from '../volumes/domain/volume-choice';
import { cloneConfig, mountedVolumeName } from './domain/clone-config';
import { isLive, toMachineView } from './domain/machine-view';
import { CloneMachineDto, DestroyMachineDto } from './dto/machine-action.dto';

/** How long a clone may take to boot before the command answers with whatever state it has. */
const CLONE_START_WAIT_SEC = 10;
const RUNNING: readonly string[] = ['started', 'starting', 'replacing'];

/** `machine clone` and `machine destroy` (DESIGN §6.3): one machine at a time, recorded in `machine-<id>`. */
@Controller()
export class MachineLifecycleHandler {
  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'clone-machine'))
  async clone(@Payload() dto: CloneMachineDto): Promise<{ machine: MachineView }> {
    const source = await this.live(dto.app, dto.machineId);
    // Its config is only the partial one the API could rebuild: cloning it would make a different machine (flyctl refuses too).
    if (isHostUnreachable(source)) {
      throw new HangarError('MACHINE.HOST_UNREACHABLE', `machine ${source.id} is on an unreachable host, try again later`, { machineId: source.id, hostStatus: source.host_status });
    }
    const region = dto.region ?? source.region;
    const volume = await this.volumeFor(dto.app, source, region);
    const created = await this.api.create(dto.app, { config: cloneConfig(source.config, volume), region }, `clone:${ulid()}`);
    await this.api.wait(dto.app, created.id, { state: 'started', instanceId: created.instance_id, timeoutSec: CLONE_START_WAIT_SEC }).catch(() => undefined);
    const machine = toMachineView(await this.api.get(dto.app, created.id));
    await this.record(machine.id, 'MachineCloned', {
      app: dto.app,
      machineId: machine.id,
      sourceId: source.id,
      managed: machine.managed,
      region: machine.region,
      ...(volume ? { volume: volume.id } : {}),
    }, dto.actor);
    return { machine };
  }

  @MessagePattern(commandPattern('machine-updater', 'destroy-machine'))
  async destroy(@Payload() dto: DestroyMachineDto): Promise<{ destroyed: { id: string; managed: boolean } }> {
    const machine = toMachineView(await this.live(dto.app, dto.machineId));
    if (!dto.force && RUNNING.includes(machine.state)) {
      throw new HangarError('MACHINE.RUNNING', `machine ${machine.id} is ${machine.state}: stop it first or destroy it with --force`, { machineId: machine.id, state: machine.state });
    }
    await this.api.destroy(dto.app, machine.id, { force: dto.force === true });
    await this.record(machine.id, 'MachineDestroyed', { app: dto.app, machineId: machine.id, managed: machine.managed, processGroup: machine.processGroup }, dto.actor);
    return { destroyed: { id: machine.id, managed: machine.managed } };
  }

  private async live(app: string, id: string): Promise<Machine> {
    const machine = await this.api.get(app, id);
    if (!isLive(machine)) throw new HangarError(ErrorCodes.MACHINE_NOT_FOUND, `machine ${id} of app ${app} is destroyed`, { machineId: id });
    return machine;
  }

  /** A source with a mount needs an unattached volume of the same name in the clone's region (DESIGN §6.4). */
  private async volumeFor(app: string, source: Machine, region: string): Promise<Volume | undefined> {
    if (!source.config.mounts?.length) return undefined;
    const volumes = await listVolumes(this.api, app);
    const name = mountedVolumeName(source.config, volumes);
    if (!name) throw new HangarError(ErrorCodes.MACHINES_API, `machine ${source.id} mounts a volume the machines API does not list`);
    const volume = pickUnattachedVolume(volumes, name, region);
    if (!volume) throw noVolumeAvailable(name, region, `a clone of machine ${source.id}`);
    return volume;
  }

  private async record(machineId: string, type: string, data: Record<string, unknown>, actor: string | undefined): Promise<void> {
    await this.store.append(streams.machine(machineId), [{ type, data, metadata: { actor: actor ?? 'anonymous' } }], { expectedVersion: 'ANY' });
  }
}
