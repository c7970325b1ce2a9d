import { HangarError } from '@hangar/contracts';
import type { Volume } from '@hangar/machines-api';

/** One volume as `volumes list --json` shows it. */
export interface VolumeView {
  id: string;
  name: string;
  region: string;
  sizeGb: number;
  state: string;
  attachedMachineId?: string;
  createdAt: string;
}

export const VolumeErrorCodes = { NONE_AVAILABLE: 'VOLUME.NONE_AVAILABLE' } as const;

export function toVolumeView(v: Volume): VolumeView {
  return {
    id: v.id,
    name: v.name,
    region: v.region,
    sizeGb: v.size_gb,
    state: v.state,
    ...(v.attached_machine_id ? { attachedMachineId: v.attached_machine_id } : {}),
    createdAt: v.created_at,
  };
}

/** A volume a new machine may mount: named `name`, in `region` (any when absent), attached to no live machine; the oldest first. */
export function pickUnattachedVolume(volumes: readonly Volume[], name: string, region: string | undefined): Volume | undefined {
  return volumes
    .filter((v) => v.name === name && (region === undefined || v.region === region) && !v.attached_machine_id && v.state !== 'destroyed' && v.state !== 'pending_destroy')
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))[0];
}

/** No free volume: names the command that makes one (DESIGN §6.4). */
export function noVolumeAvailable(name: string, region: string | undefined, purpose: string): HangarError {
  const where = region === undefined ? '' : ` in region ${region}`;
  return new HangarError(
    VolumeErrorCodes.NONE_AVAILABLE,
    `${purpose} needs an unattached volume named ${name}${where} and there is none: create one with \`hangar volumes create ${name} -r ${region ?? '<region>'}\``,
    { name, ...(region === undefined ? {} : { region }) },
  );
}
