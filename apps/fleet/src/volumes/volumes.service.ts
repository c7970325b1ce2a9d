import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MachineMount, Volume } from '@hangar/machines-api';
import type { Pool, PoolClient } from 'pg';
import { findApp } from '../apps/app.repository';
import { FLEET_CLOCK, FLEET_IDS, FLEET_POOL, type FleetClock, type FleetIds } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';
import { effectiveState } from '../machines/domain/machine-sim';
import { findMachine, findMachinesByIds } from '../machines/machine.repository';
import { withTransaction } from '../database/fleet-database';
import { PODMAN_RUNTIME } from '../runtime/runtime.module-parts';
import type { PodmanRuntime } from '../runtime/podman-runtime';
import { attachVolume, findVolume, insertVolume, listVolumes, markVolumeDestroyed, type FleetVolume } from './volume.repository';

/** Fly's volume names: lower-case letters, digits and underscores, at most 30. */
const VOLUME_NAME = /^[a-z0-9_]{1,30}$/;

/** Volumes: created per app and region, attached to at most one machine, detached when it is destroyed. */
@Injectable()
export class VolumesService {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    @Inject(FLEET_CLOCK) private readonly clock: FleetClock,
    @Inject(FLEET_IDS) private readonly ids: FleetIds,
    @Optional() @Inject(PODMAN_RUNTIME) private readonly podman: PodmanRuntime | null = null,
  ) {}

  async create(app: string, input: { name: string; region: string; size_gb?: number }): Promise<Volume> {
    if (!VOLUME_NAME.test(input.name)) throw fleetError(FleetErrorCodes.INVALID, `volume name must match ${VOLUME_NAME.source}; got "${input.name}"`);
    if (!(await findApp(this.pool, app))) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${app} not found`);
    const volume: FleetVolume = {
      id: this.ids.volumeId(),
      app,
      name: input.name,
      region: input.region,
      sizeGb: input.size_gb ?? 1,
      state: 'created',
      attachedMachineId: null,
      createdAt: this.clock.now(),
    };
    await insertVolume(this.pool, volume);
    return toWireVolume(volume, null);
  }

  /** The app's volumes; one attached to a machine that has since destroyed itself (auto_destroy) shows as unattached. */
  async list(app: string): Promise<Volume[]> {
    if (!(await findApp(this.pool, app))) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${app} not found`);
    const volumes = await listVolumes(this.pool, app);
    const holders = await findMachinesByIds(this.pool, volumes.flatMap((v) => (v.attachedMachineId ? [v.attachedMachineId] : [])));
    const now = this.clock.now();
    const live = new Set(holders.filter((m) => effectiveState(m, now) !== 'destroyed').map((m) => m.id));
    return volumes.map((v) => toWireVolume(v, v.attachedMachineId && live.has(v.attachedMachineId) ? v.attachedMachineId : null));
  }

  /**
   * `DELETE /v1/apps/:app/volumes/:id`: the volume goes, with its data (the podman runtime removes its
   * named volume). Refused while a machine that is not destroyed has it attached, as Fly refuses.
   */
  async destroy(app: string, id: string): Promise<Volume> {
    const destroyed = await withTransaction(this.pool, async (tx) => {
      const volume = await findVolume(tx, app, id, true);
      if (!volume || volume.state === 'destroyed') throw fleetError(FleetErrorCodes.NOT_FOUND, `volume ${id} not found in app ${app}`);
      if (volume.attachedMachineId) {
        const holder = await findMachine(tx, app, volume.attachedMachineId);
        if (holder && effectiveState(holder, this.clock.now()) !== 'destroyed') {
          throw fleetError(FleetErrorCodes.UNPROCESSABLE, `volume ${id} is attached to machine ${holder.id}: destroy the machine first`);
        }
      }
      await markVolumeDestroyed(tx, id);
      return { ...volume, state: 'destroyed', attachedMachineId: null };
    });
    await this.podman?.removeVolume(id);
    return toWireVolume(destroyed, null);
  }

  /**
   * The volume a new machine's mount names, locked for this transaction; null without mounts. It
   * must exist in the app, be in the machine's region and not be attached to a live machine.
   */
  async claimForNewMachine(tx: PoolClient, app: string, mounts: MachineMount[] | undefined, region: string | undefined, now: number): Promise<FleetVolume | null> {
    const mount = mounts?.[0];
    if (!mount) return null;
    if (!mount.volume) throw fleetError(FleetErrorCodes.INVALID, 'config.mounts[0].volume (the volume id) is required');
    const found = await findVolume(tx, app, mount.volume, true);
    const volume = found?.state === 'destroyed' ? null : found;
    if (!volume) throw fleetError(FleetErrorCodes.UNPROCESSABLE, `volume ${mount.volume} not found in app ${app}`);
    if (region !== undefined && region !== volume.region) {
      throw fleetError(FleetErrorCodes.UNPROCESSABLE, `volume ${volume.id} is in region ${volume.region}, not ${region}`);
    }
    if (volume.attachedMachineId) {
      // Read without a lock: a concurrent destroy of the holder detaches by machine id, which then no longer matches.
      const holder = await findMachine(tx, app, volume.attachedMachineId);
      if (holder && effectiveState(holder, now) !== 'destroyed') {
        throw fleetError(FleetErrorCodes.UNPROCESSABLE, `volume ${volume.id} is already attached to machine ${holder.id}`);
      }
    }
    return volume;
  }

  async attach(tx: PoolClient, volumeId: string, machineId: string): Promise<void> {
    await attachVolume(tx, volumeId, machineId);
  }
}

function toWireVolume(v: FleetVolume, attachedMachineId: string | null): Volume {
  return {
    id: v.id,
    name: v.name,
    region: v.region,
    size_gb: v.sizeGb,
    state: v.state,
    attached_machine_id: attachedMachineId,
    created_at: new Date(v.createdAt).toISOString(),
  };
}
