import { Inject, Injectable } from '@nestjs/common';
import { EventTypes, HangarError, streams, type AppDestroyedData, type AppTeardownResult, type VolumeDestroyedData } from '@hangar/contracts';
import { EVENT_STORE, StreamVersionConflictError, type EventMetadata, type EventStore, type StoredEvent } from '@hangar/event-store';
import { MachinesApiErrorCodes, type Machine, type MachinesApi, type Volume } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { toMachineView } from '../machines/domain/machine-view';
import { listVolumes } from '../volumes/volumes.handler';

export const TeardownErrorCodes = {
  /** `teardown-app` for an app that `apps destroy` has not destroyed: nothing is touched. */
  APP_NOT_DESTROYED: 'MACHINE.APP_NOT_DESTROYED',
} as const;

/** How long a destroyed machine may take to be gone before its volume is destroyed, in seconds. */
const DESTROYED_WAIT_SEC = 30;
/** Machines destroyed at once. */
const CONCURRENCY = 8;
const GONE_VOLUME_STATES: readonly string[] = ['destroyed', 'destroying', 'pending_destroy'];

/**
 * Destroys what a destroyed app still has on the machines API (`apps destroy`, DESIGN §7.1): every
 * machine (killed), then every volume once no machine holds it. Acts only for an app whose stream
 * records `AppDestroyed`, whoever asks; each machine gets one `MachineDestroyed` and each volume one
 * `VolumeDestroyed`, with the actor and correlation of `AppDestroyed`. Safe to run again, and at once
 * from the command and the consumer: what is gone is skipped, and an event already recorded is not
 * recorded twice.
 */
@Injectable()
export class AppTeardown {
  /** Runs for one app, one at a time in this process. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(MACHINES_API) private readonly api: MachinesApi,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  run(app: string): Promise<AppTeardownResult> {
    const result = (this.tails.get(app) ?? Promise.resolve()).then(() => this.teardown(app));
    const tail = result.catch(() => undefined);
    this.tails.set(app, tail);
    void tail.then(() => {
      if (this.tails.get(app) === tail) this.tails.delete(app);
    });
    return result;
  }

  private async teardown(app: string): Promise<AppTeardownResult> {
    const destroyed = await this.destroyedEvent(app);
    const metadata: EventMetadata = { actor: destroyed.metadata.actor ?? 'system', causationId: destroyed.eventId, correlationId: destroyed.eventId };
    const machines = await this.api.list(app).catch(absentAsEmpty<Machine>);
    const live = machines.filter((m) => m.state !== 'destroyed' && m.state !== 'destroying');
    for (let i = 0; i < live.length; i += CONCURRENCY) {
      await Promise.all(live.slice(i, i + CONCURRENCY).map((m) => this.destroyMachine(app, m, metadata)));
    }
    // A volume can go only once its machine is gone.
    await Promise.all(machines.filter((m) => m.state !== 'destroyed').map((m) => this.api.wait(app, m.id, { state: 'destroyed', timeoutSec: DESTROYED_WAIT_SEC })));
    const volumes = (await listVolumes(this.api, app)).filter((v) => !GONE_VOLUME_STATES.includes(v.state));
    for (const volume of volumes) await this.destroyVolume(app, volume, metadata);
    return { app, machines: live.map((m) => m.id), volumes: volumes.map((v) => v.id) };
  }

  private async destroyedEvent(app: string): Promise<StoredEvent> {
    const event = (await this.store.readStream(streams.app(app))).find((e) => e.type === EventTypes.AppDestroyed);
    if (!event || (event.data as Partial<AppDestroyedData>).app !== app) {
      throw new HangarError(TeardownErrorCodes.APP_NOT_DESTROYED, `app ${app} is not destroyed: its machines and volumes are left alone`, { app });
    }
    return event;
  }

  private async destroyMachine(app: string, machine: Machine, metadata: EventMetadata): Promise<void> {
    await this.api.destroy(app, machine.id, { force: true }).catch(ignoreAbsent);
    const view = toMachineView(machine);
    await this.recordOnce(streams.machine(machine.id), EventTypes.MachineDestroyed, { app, machineId: machine.id, managed: view.managed, processGroup: view.processGroup, reason: 'app-destroyed' }, metadata);
  }

  private async destroyVolume(app: string, volume: Volume, metadata: EventMetadata): Promise<void> {
    await this.api.destroyVolume(app, volume.id).catch(ignoreAbsent);
    const data: VolumeDestroyedData = { app, volumeId: volume.id, name: volume.name, region: volume.region, reason: 'app-destroyed' };
    await this.recordOnce(streams.volume(volume.id), EventTypes.VolumeDestroyed, { ...data }, metadata);
  }

  /** Appends `type` unless the stream has one already (a concurrent or earlier run recorded it). */
  private async recordOnce(streamId: string, type: string, data: Record<string, unknown>, metadata: EventMetadata): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const events = await this.store.readStream(streamId);
      if (events.some((e) => e.type === type)) return;
      try {
        await this.store.append(streamId, [{ type, data, metadata }], { expectedVersion: events.length === 0 ? 'NO_STREAM' : events.length });
        return;
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || attempt >= 5) throw error;
      }
    }
  }
}

function absentAsEmpty<T>(error: unknown): T[] {
  if ((error as { code?: string }).code === MachinesApiErrorCodes.NOT_FOUND) return [];
  throw error;
}

function ignoreAbsent(error: unknown): void {
  if ((error as { code?: string }).code !== MachinesApiErrorCodes.NOT_FOUND) throw error;
}
