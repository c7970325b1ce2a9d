import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { IDEMPOTENCY_METADATA_KEY, type MachineConfig, type MachinesApi } from '@hangar/machines-api';
import { pickVolume } from './domain/volume-pick';

/**
 * The volume of a new machine whose plan said "create one" (DESIGN §6.4, flyctl's first deploy).
 * Safe to re-run after a crash anywhere: a machine the keyed create already made keeps its volume
 * (its config is returned as is), and a volume an earlier run made but did not mount is unattached,
 * so it is adopted instead of creating a second one.
 */
export class NewMachineVolumes {
  constructor(private readonly api: MachinesApi) {}

  /** The config with its volume, and the region the machine must be created in (its volume's). */
  async mountFor(req: MachineUpdateRequestedData): Promise<{ config: MachineConfig; region?: string }> {
    const wanted = req.createVolume!;
    const config = req.config!;
    const mount = config.mounts?.[0];
    if (!mount) return { config, ...(req.region ? { region: req.region } : {}) };
    const made = (await this.api.list(req.app)).find((m) => m.config?.metadata?.[IDEMPOTENCY_METADATA_KEY] === req.key);
    if (made?.config.mounts?.[0]?.volume) return { config: { ...config, mounts: [{ ...mount, volume: made.config.mounts[0].volume }] }, region: made.region };
    const found = pickVolume(await this.api.listVolumes(req.app), wanted.name, wanted.region);
    const volume = found ?? (await this.api.createVolume(req.app, { name: wanted.name, ...(wanted.region ? { region: wanted.region } : {}), size_gb: wanted.sizeGb }));
    return { config: { ...config, mounts: [{ ...mount, volume: volume.id }] }, region: volume.region };
  }
}
