import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  HangarError,
  MachinePowerErrorCodes,
  MachinePowerEventTypes,
  commandPattern,
  powerChangedType,
  streams,
  type MachineActionFailedData,
  type MachineActionRequestedData,
  type MachinePowerChangedData,
  type MachinePowerAction,
  type MachineView,
} from '@hangar/contracts';
import { parseDurationMs } from '@hangar/app-config';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { MachinesApiErrorCodes, type Lease, type Machine, type MachinesApi } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { deployLockHolder } from './domain/deploy-lock';
import { toMachineView } from './domain/machine-view';
import { liveMachine } from './machine-lookup';
import { GetMachineDto, StopMachineDto } from './dto/machine-action.dto';

/** As the executor's, plus the kill timeout of a stop or restart: the lease outlasts the call. */
const LEASE_TTL_SEC = 13;
/** Fly's kill timeout when the machine's `stop_config` has none. */
const DEFAULT_KILL_TIMEOUT = '5s';

type PowerRequest = GetMachineDto & Partial<Pick<StopMachineDto, 'signal' | 'timeout'>>;

/**
 * `machine start|stop|restart` (DESIGN §6.3): one call of the Machines API under the machine's lease,
 * as flyctl makes it, recorded in `machine-<id>` with the actor (request first, then the outcome).
 * A managed machine is the rollout's while a release of its app holds the deploy lock: it is refused
 * then, as is a machine whose lease someone else holds; neither waits.
 */
@Controller()
export class MachinePowerHandler {
  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'start-machine'))
  start(@Payload() dto: GetMachineDto): Promise<{ machine: MachineView; previousState: string }> {
    return this.power('start', dto);
  }

  @MessagePattern(commandPattern('machine-updater', 'stop-machine'))
  stop(@Payload() dto: StopMachineDto): Promise<{ machine: MachineView; previousState: string }> {
    return this.power('stop', dto);
  }

  @MessagePattern(commandPattern('machine-updater', 'restart-machine'))
  restart(@Payload() dto: StopMachineDto): Promise<{ machine: MachineView; previousState: string }> {
    return this.power('restart', dto);
  }

  private async power(action: MachinePowerAction, dto: PowerRequest): Promise<{ machine: MachineView; previousState: string }> {
    const machine = await liveMachine(this.api, dto.app, dto.machineId);
    const before = toMachineView(machine);
    if (before.managed) await this.assertNoRollout(action, dto.app, before.id);
    const lease = await this.lease(action, dto, machine);
    const requested: MachineActionRequestedData = {
      app: dto.app,
      machineId: before.id,
      action,
      managed: before.managed,
      processGroup: before.processGroup,
      previousState: before.state,
      ...(dto.signal ? { signal: dto.signal } : {}),
      ...(dto.timeout ? { timeout: dto.timeout } : {}),
    };
    try {
      await this.record(MachinePowerEventTypes.MachineActionRequested, requested, dto.actor);
      await this.call(action, dto, lease.nonce).catch(async (error: unknown) => {
        await this.record(MachinePowerEventTypes.MachineActionFailed, { ...requested, reason: error instanceof Error ? error.message : String(error) }, dto.actor);
        throw error;
      });
    } finally {
      await this.api.releaseLease(dto.app, before.id, lease.nonce).catch(() => undefined);
    }
    const after = toMachineView(await this.api.get(dto.app, before.id));
    await this.record(powerChangedType(action), { ...requested, state: after.state, instanceId: after.instanceId }, dto.actor);
    return { machine: after, previousState: before.state };
  }

  private call(action: MachinePowerAction, dto: PowerRequest, nonce: string): Promise<void> {
    const opts = { ...(dto.signal ? { signal: dto.signal } : {}), ...(dto.timeout ? { timeout: dto.timeout } : {}) };
    switch (action) {
      case 'start':
        return this.api.start(dto.app, dto.machineId, nonce);
      case 'stop':
        return this.api.stop(dto.app, dto.machineId, nonce, opts);
      case 'restart':
        return this.api.restart(dto.app, dto.machineId, nonce, opts);
      default: {
        const never: never = action;
        throw new Error(`unknown action ${String(never)}`);
      }
    }
  }

  /** A release rolling out may have this machine in its plan: a stop would fail its update, a start be undone by it. */
  private async assertNoRollout(action: MachinePowerAction, app: string, machineId: string): Promise<void> {
    const holder = deployLockHolder(await this.store.readStream(streams.app(app)));
    if (!holder) return;
    throw new HangarError(
      MachinePowerErrorCodes.RELEASE_CONFLICT,
      `machine ${machineId} is managed by deploys and release v${holder.version} of ${app} is rolling out; ${action} it once that release has finished, or cancel it with \`hangar releases cancel v${holder.version}\``,
      { machineId, releaseId: holder.releaseId, version: holder.version },
    );
  }

  /** The lease, at once or not at all: someone else's lease (a deploy updating the machine) is an error, never a wait. */
  private async lease(action: MachinePowerAction, dto: PowerRequest, machine: Machine): Promise<Lease> {
    const killTimeout = action === 'start' ? 0 : parseDurationMs(dto.timeout ?? machine.config.stop_config?.timeout ?? DEFAULT_KILL_TIMEOUT) ?? 0;
    const ttlSec = LEASE_TTL_SEC + Math.ceil(killTimeout / 1000);
    try {
      return await this.api.acquireLease(dto.app, dto.machineId, ttlSec, `hangar machine ${action} by ${dto.actor ?? 'anonymous'}`);
    } catch (error) {
      if ((error as { code?: string }).code !== MachinesApiErrorCodes.LEASE_HELD) throw error;
      const held = (error as { details?: { apiMessage?: string } }).details?.apiMessage ?? 'lease currently held';
      throw new HangarError(
        MachinePowerErrorCodes.LEASE_HELD,
        `cannot ${action} machine ${dto.machineId}: another operation holds its lease (${held}); try again once it has finished`,
        { machineId: dto.machineId },
      );
    }
  }

  private async record(type: string, data: MachineActionRequestedData | MachinePowerChangedData | MachineActionFailedData, actor: string | undefined): Promise<void> {
    await this.store.append(streams.machine(data.machineId), [{ type, data: { ...data }, metadata: { actor: actor ?? 'anonymous' } }], { expectedVersion: 'ANY' });
  }
}
