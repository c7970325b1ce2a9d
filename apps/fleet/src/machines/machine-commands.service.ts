import { Inject, Injectable } from '@nestjs/common';
import { type LaunchMachineInput, type Machine, type MachineConfig, type MachineState } from '@hangar/machines-api';
import type { Pool, PoolClient } from 'pg';
import { findApp } from '../apps/app.repository';
import { withTransaction } from '../database/fleet-database';
import { consumeFault, listLiveFaults } from '../faults/fault.repository';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FLEET_IDS, FLEET_POOL, type FleetIds } from '../fleet.tokens';
import { findVolumeOfMachine } from '../volumes/volume.repository';
import { VolumesService } from '../volumes/volumes.service';
import { runProfile, selectBootFaults, selectUpdateError, type FaultContext } from './domain/boot-profile';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import { LEASE_OWNER, acquireLease, activeLease } from './domain/lease';
import { assertValidConfig } from './domain/machine-config.rules';
import { destroyMachine, launchMachine, setCordoned, setMetadata, startBoots, startMachine, stopMachine, updateBoots, updateMachine, type StopRequest } from './domain/machine-ops';
import type { Fault, RunProfile, SimMachine } from './domain/sim.types';
import { claimIdempotencyKey, findLease, insertEvents, insertMachine, saveLease } from './machine.repository';
import { MachineStore, type MutationOutcome } from './machine-store';

type CreateOutcome = { kind: 'existing'; existing: string } | { kind: 'created'; machine: SimMachine; nonce?: string };

/** Fly refuses a region it does not have; fleet does when it has a region list (`HANGAR_FLEET_REGIONS`). */
export function assertKnownRegion(regions: readonly string[] | undefined, region: string | undefined): void {
  if (regions === undefined || region === undefined || regions.includes(region)) return;
  throw fleetError(FleetErrorCodes.INVALID, `invalid region "${region}": not one of this platform's regions (${regions.join(', ')})`);
}

/** Region of a machine created without one and without a volume to take it from (with a region list: its first). */
export const DEFAULT_REGION = 'local';

/** The Machines API calls that change a machine. Each is a transaction around a pure simulator step. */
@Injectable()
export class MachineCommandsService {
  constructor(
    @Inject(FLEET_POOL) private readonly pool: Pool,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
    @Inject(FLEET_IDS) private readonly ids: FleetIds,
    private readonly store: MachineStore,
    private readonly volumes: VolumesService,
  ) {}

  /**
   * Launches a machine. An `Idempotency-Key` header already used in this app returns the machine made
   * the first time, with its lease nonce while that lease lasts: a fleet-only extension (Fly ignores
   * the header, and Hangar's client does not send it); config metadata is never used to deduplicate,
   * as Fly does not.
   */
  async create(app: string, input: LaunchMachineInput, headerKey?: string): Promise<Machine> {
    assertValidConfig(input.config);
    const key = headerKey;
    const id = this.ids.machineId();
    const created = await withTransaction<CreateOutcome>(this.pool, async (tx) => {
      if (!(await findApp(tx, app))) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${app} not found`);
      if (key !== undefined) {
        const owner = await claimIdempotencyKey(tx, app, key, id);
        if (owner !== id) return { kind: 'existing', existing: owner };
      }
      const now = this.store.now();
      assertKnownRegion(this.config.regions, input.region);
      const volume = await this.volumes.claimForNewMachine(tx, app, input.config.mounts, input.region, now);
      const region = input.region ?? volume?.region ?? this.config.regions?.[0] ?? DEFAULT_REGION;
      const run = input.skip_launch ? null : await this.bootProfile(tx, { app, machineId: id, config: input.config });
      const name = input.name ?? `machine-${id}`;
      const { machine, events } = launchMachine({
        id,
        app,
        name,
        region,
        config: input.config,
        instanceId: this.ids.instanceId(),
        now,
        run,
        skipServiceRegistration: input.skip_service_registration === true,
      });
      await insertMachine(tx, machine);
      await insertEvents(tx, machine, events);
      if (volume) await this.volumes.attach(tx, volume.id, id);
      if (!input.lease_ttl) return { kind: 'created', machine };
      const lease = acquireLease(null, this.leaseRequest(id, input.lease_ttl, now));
      await saveLease(tx, lease);
      return { kind: 'created', machine, nonce: lease.nonce };
    });
    if (created.kind === 'existing') {
      const lease = input.lease_ttl ? activeLease(await findLease(this.pool, created.existing), this.store.now()) : null;
      return this.store.view(await this.store.load(app, created.existing), lease?.nonce);
    }
    // The machine as of the create itself: a response delayed past the boot time must still say it was starting.
    return this.store.view({ machine: created.machine, events: [] }, created.nonce);
  }

  /** Replaces the config and instance; a fault `update-error` refuses it (500) without changing the machine. */
  async update(app: string, id: string, input: LaunchMachineInput, nonce?: string): Promise<Machine> {
    assertValidConfig(input.config);
    const updated = await this.store.mutate(app, id, { checkLease: true, nonce }, async (m, tx, now): Promise<MutationOutcome<SimMachine>> => {
      if (m.state === 'destroyed') throw fleetError(FleetErrorCodes.NOT_FOUND, `machine ${id} not found (destroyed)`);
      const ctx: FaultContext = { app, machineId: id, config: input.config };
      const faults = await this.liveFaults(tx);
      const updateError = selectUpdateError(faults, ctx);
      if (updateError && (await consumeFault(tx, updateError))) {
        return { value: m, failAfterCommit: fleetError(FleetErrorCodes.FAULT_INJECTED, `failed to update machine ${id}: injected fault ${updateError.id} (update-error)`) };
      }
      const config = await this.keepVolume(tx, id, input.config);
      const run = updateBoots(m, input.skip_launch === true) ? await this.bootProfile(tx, ctx, faults) : null;
      const result = updateMachine(m, { config, instanceId: this.ids.instanceId(), now, run });
      return { result, value: result.machine };
    });
    return this.store.view({ machine: updated, events: [] });
  }

  /** Boots a created or stopped machine; starting a running one is a no-op. Leases do not apply, as flyctl starts release machines without one. */
  async start(app: string, id: string): Promise<{ previous_state: MachineState }> {
    return this.store.mutate(app, id, { checkLease: false }, async (m, tx, now) => {
      const run = startBoots(m) ? await this.bootProfile(tx, { app, machineId: id, config: m.config }) : null;
      const result = startMachine(m, now, run);
      return { result, value: { previous_state: result.previousState } };
    });
  }

  /** `request` (signal, timeout) is recorded on the stop event; the simulator stops at once whatever it says. */
  async stop(app: string, id: string, nonce?: string, request: StopRequest = {}): Promise<void> {
    await this.store.mutate(app, id, { checkLease: true, nonce }, async (m, _tx, now) => ({ result: stopMachine(m, now, request), value: undefined }));
  }

  /** Destroys (detaching its volume, dropping its lease); a running machine needs `kill`. */
  async destroy(app: string, id: string, kill: boolean, nonce?: string): Promise<void> {
    await this.store.mutate(app, id, { checkLease: true, nonce }, async (m, _tx, now) => ({ result: destroyMachine(m, now, kill), value: undefined }));
  }

  async cordon(app: string, id: string, cordoned: boolean, nonce?: string): Promise<void> {
    await this.store.mutate(app, id, { checkLease: true, nonce }, async (m, _tx, now) => ({ result: setCordoned(m, cordoned, now), value: undefined }));
  }

  /** Sets (`value`) or deletes (undefined) one metadata key. */
  async setMetadata(app: string, id: string, key: string, value: string | undefined, nonce?: string): Promise<void> {
    await this.store.mutate(app, id, { checkLease: true, nonce }, async (m, _tx, now) => ({ result: setMetadata(m, key, value, now), value: undefined }));
  }

  /** The faults that may apply: none unless fault injection is on (HANGAR_FLEET_FAULTS=1), whatever the table holds. */
  private liveFaults(tx: PoolClient): Promise<Fault[]> {
    return this.config.faults ? listLiveFaults(tx) : Promise.resolve([]);
  }

  /** Chooses how this boot goes, taking one use of each fault that hits it; a real container's boot is whatever it does. */
  private async bootProfile(tx: PoolClient, ctx: FaultContext, live?: Fault[]): Promise<RunProfile> {
    if (this.config.runtime === 'podman') return { bootMs: 0, outcome: 'serve', exitCode: 0, runMs: 0, logs: [], unhealthy: false, external: true, restarts: 0 };
    const applied = [];
    for (const fault of selectBootFaults(live ?? (await this.liveFaults(tx)), ctx)) {
      if (await consumeFault(tx, fault)) applied.push(fault);
    }
    return runProfile(ctx.config, this.config.bootMs, applied);
  }

  /**
   * An update keeps the machine's volume (it may change the mount path); adding, removing or
   * swapping a volume needs a replacement, as on Fly.
   */
  private async keepVolume(tx: PoolClient, machineId: string, config: MachineConfig): Promise<MachineConfig> {
    const attached = await findVolumeOfMachine(tx, machineId);
    const mounts = config.mounts ?? [];
    if (!attached && mounts.length === 0) return config;
    if (attached && mounts.length === 1 && (mounts[0].volume ?? attached.id) === attached.id) {
      return { ...config, mounts: [{ ...mounts[0], volume: attached.id }] };
    }
    throw fleetError(
      FleetErrorCodes.UNPROCESSABLE,
      `machine ${machineId}: changing which volume a machine mounts requires replacing the machine (currently ${attached?.id ?? 'none'})`,
    );
  }

  private leaseRequest(machineId: string, ttlSec: number, now: number) {
    return { machineId, ttlSec, owner: LEASE_OWNER, description: 'lease_ttl at create', now, newNonce: this.ids.leaseNonce(), newVersion: this.ids.leaseVersion() };
  }
}
